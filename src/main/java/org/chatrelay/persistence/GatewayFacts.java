package org.chatrelay.persistence;

/**
 * What a gateway call's usage row keeps beside a chat answer's (V13, V15).
 *
 * @param endUser   the client's end user as it named one, at most 256 characters, or null
 * @param dialect   {@code openai} or {@code anthropic}: the dialect the client spoke
 */
public record GatewayFacts(String keyId, String endUser, String dialect, boolean streaming) {
    public GatewayFacts {
        if (endUser != null && endUser.length() > 256) {
            endUser = endUser.substring(0, 256);
        }
    }
}
