package org.chatrelay.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret of a virtual key: {@code crk-} and 32 base62 characters (190 random bits from {@link SecureRandom}),
 * shown once and stored as its SHA-256. A fast hash is enough here, unlike for passwords (PBKDF2 in
 * admin/auth/PasswordHash): slow, salted hashing defends guessable secrets against a stolen table, while guessing
 * one of 2^190 values is hopeless at any hash speed; and an unsalted hash can be looked up by index on every call,
 * where PBKDF2 would cost each API call hundreds of milliseconds of CPU. Base62 has no {@code -} or {@code _}, so a
 * double click selects the whole key.
 */
public final class KeySecret {
    public static final String PREFIX = "crk-";
    static final int RANDOM_CHARS = 32;
    /** How much of the key the pages show: the prefix and this many characters, enough to tell keys apart. */
    static final int SHOWN_CHARS = 6;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecret() {
    }

    public static String generate() {
        StringBuilder b = new StringBuilder(PREFIX.length() + RANDOM_CHARS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            // nextInt(62) is unbiased, unlike a byte modulo 62.
            b.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return b.toString();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what the table stores and looks keys up by. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String shownPrefix(String key) {
        return key.substring(0, PREFIX.length() + SHOWN_CHARS);
    }

    /** Whether a presented value could be a key at all: anything else is refused without a database lookup. */
    static boolean wellFormed(String value) {
        if (value.length() != PREFIX.length() + RANDOM_CHARS || !value.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
