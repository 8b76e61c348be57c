package org.chatrelay.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with the deployment's shared secret (persistence/SecretRepository): any node verifies what another
 * signed. Each use signs its own kind of text (a bare visitor id for CSRF, a prefixed one for the cookie), so one
 * signature never passes for another.
 */
public final class Signer {
    private final SecretKeySpec key;

    public Signer(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison, so the check leaks nothing through timing. */
    public boolean verify(String text, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(text).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
