package org.chatrelay.web;

/**
 * CSRF tokens bound to the visitor: HMAC-SHA256(secret, visitor id). Stateless, so any node with the shared secret
 * verifies them, and a token stolen for one visitor is useless for another.
 */
public final class CsrfTokens {
    private final Signer signer;

    public CsrfTokens(Signer signer) {
        this.signer = signer;
    }

    public String tokenFor(String visitorId) {
        return signer.sign(visitorId);
    }

    public boolean valid(String visitorId, String token) {
        return signer.verify(visitorId, token);
    }
}
