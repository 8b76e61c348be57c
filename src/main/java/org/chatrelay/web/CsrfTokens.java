package org.chatrelay.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens bound to the visitor: HMAC-SHA256(secret, visitor id). Stateless, so any node with the shared secret
 * verifies them, and a token stolen for one visitor is useless for another.
 */
public final class CsrfTokens {
    private final SecretKeySpec key;

    public CsrfTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String tokenFor(String visitorId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(visitorId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison, so the check leaks nothing through timing. */
    public boolean valid(String visitorId, String token) {
        if (token == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(visitorId).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
    }
}
