package org.chatrelay.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.chatrelay.config.CooldownConfig;

/**
 * Recent attempt outcomes of one provider on this node, counted in a ring of time buckets (constant memory at any
 * traffic). When enough of them failed, the provider is skipped for a cooldown, after which it is tried again with
 * a clean slate: it comes back by itself, no operator needed.
 */
public final class ProviderHealth {
    private static final int BUCKETS = 12;
    private final CooldownConfig config;
    private final LongSupplier nanos;
    private final long bucketNanos;
    private final long[] bucketStart = new long[BUCKETS];
    private final int[] ok = new int[BUCKETS];
    private final int[] failed = new int[BUCKETS];
    private long coolingUntil;
    private boolean cooling;

    public ProviderHealth(CooldownConfig config, LongSupplier nanos) {
        this.config = config;
        this.nanos = nanos;
        this.bucketNanos = Math.max(1, config.window().toNanos() / BUCKETS);
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }

    /** Counts one attempt; true when this failure started a cooldown (worth a log line). */
    public synchronized boolean record(boolean success) {
        long now = nanos.getAsLong();
        if (cooling) {
            // Attempts that were already running when the cooldown began say nothing new.
            return false;
        }
        long slot = Math.floorDiv(now, bucketNanos);
        int i = (int) Math.floorMod(slot, BUCKETS);
        if (bucketStart[i] != slot) {
            bucketStart[i] = slot;
            ok[i] = 0;
            failed[i] = 0;
        }
        if (success) {
            ok[i]++;
            return false;
        }
        failed[i]++;
        int total = 0;
        int failures = 0;
        for (int b = 0; b < BUCKETS; b++) {
            if (bucketStart[b] != Long.MIN_VALUE && slot - bucketStart[b] < BUCKETS) {
                total += ok[b] + failed[b];
                failures += failed[b];
            }
        }
        if (total >= config.minRequests() && failures >= config.failureRatio() * total) {
            cooling = true;
            coolingUntil = now + config.cooldown().toNanos();
            java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
            return true;
        }
        return false;
    }

    /** False while cooling down. */
    public synchronized boolean available() {
        return coolingFor().isEmpty();
    }

    /** How much longer the cooldown lasts, if one is on. */
    public synchronized Optional<Duration> coolingFor() {
        if (cooling && nanos.getAsLong() - coolingUntil >= 0) {
            cooling = false;
        }
        return cooling ? Optional.of(Duration.ofNanos(coolingUntil - nanos.getAsLong())) : Optional.empty();
    }
}
