package org.chatrelay.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.chatrelay.config.CanaryConfig;

/**
 * Which visitors go to the canary. The arm is a pure function of (salt, visitor id) through SHA-256: the same on
 * every node and after every restart (unlike a per-process salted hash such as Python's {@code hash()}), and
 * uniform enough that the share of visitors matches the configured percentage.
 */
public final class CanarySplit {
    static final int BUCKETS = 10_000;
    private final String provider;
    private final String salt;
    private final int canaryBuckets;

    public CanarySplit(CanaryConfig config) {
        this.provider = config.provider();
        this.salt = config.salt();
        this.canaryBuckets = (int) Math.round(config.percent() * BUCKETS / 100.0);
    }

    public String provider() {
        return provider;
    }

    public boolean inCanary(String visitorId) {
        return bucket(salt, visitorId) < canaryBuckets;
    }

    /** 0 to 9,999: the first 8 bytes of SHA-256(salt, 0x00, visitor id), as an unsigned number, modulo 10,000. */
    static int bucket(String salt, String visitorId) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha.update(salt.getBytes(StandardCharsets.UTF_8));
        // A separator, so ("ab", "c") and ("a", "bc") hash differently.
        sha.update((byte) 0);
        byte[] d = sha.digest(visitorId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xFF);
        }
        return (int) Long.remainderUnsigned(v, BUCKETS);
    }
}
