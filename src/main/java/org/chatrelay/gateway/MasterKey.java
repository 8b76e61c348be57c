package org.chatrelay.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * {@code CHATRELAY_GATEWAY_MASTER_KEY}: the bearer token of the key admin API, for automation. Without it the API
 * refuses everything. Compared in constant time, on SHA-256 digests so not even the length leaks through timing.
 */
public final class MasterKey {
    public static final String SETTING = "CHATRELAY_GATEWAY_MASTER_KEY";
    static final int MIN_CHARS = 24;

    private final byte[] digest;

    private MasterKey(byte[] digest) {
        this.digest = digest;
    }

    public static Optional<MasterKey> from(Settings settings) {
        Optional<String> value = settings.get(SETTING);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String key = value.get();
        if (key.length() < MIN_CHARS || key.chars().anyMatch(c -> c <= 32 || c >= 127)) {
            // The message never repeats the value.
            throw new ConfigException(SETTING + " must be at least " + MIN_CHARS + " printable ASCII characters without spaces"
                    + " (e.g. the output of: openssl rand -base64 32)");
        }
        return Optional.of(new MasterKey(sha256(key)));
    }

    /** Whether an {@code Authorization} header carries this master key as a Bearer token. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
