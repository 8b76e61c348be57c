package org.chatrelay.admin.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes, PBKDF2-HMAC-SHA256 from the JDK (ASVS 2.4.1, OWASP's 600,000 iterations).
 * Stored as {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}; any other form (Jetty's
 * {@code MD5:}, {@code CRYPT:}, a plain password) is refused by {@link #parse}, never compared.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    public static final int MIN_ITERATIONS = 600_000;
    public static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("pbkdf2-sha256\\$(\\d{6,9})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{32,88})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    public static PasswordHash create(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(MIN_ITERATIONS, salt, derive(password, salt, MIN_ITERATIONS, HASH_BYTES));
    }

    /** @throws IllegalArgumentException naming the expected form, never echoing the value (it may be a password) */
    public static PasswordHash parse(String stored) {
        Matcher m = stored == null ? null : FORMAT.matcher(stored.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a pbkdf2-sha256$<iterations>$<salt>$<hash> password hash");
        }
        int iterations = Integer.parseInt(m.group(1));
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("a password hash needs at least " + MIN_ITERATIONS + " iterations, has " + iterations);
        }
        Base64.Decoder d = Base64.getDecoder();
        return new PasswordHash(iterations, d.decode(m.group(2)), d.decode(m.group(3)));
    }

    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    /** Spends the same work as {@link #matches} on nothing: answers for unknown users take as long as for known ones. */
    public static void burn(char[] password, int iterations) {
        derive(password, new byte[SALT_BYTES], iterations, HASH_BYTES);
    }

    public String encoded() {
        return PREFIX + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return PREFIX + "$" + iterations + "$…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt) && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(hash);
    }
}
