package org.chatrelay.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} events per key in any window of {@code window}: each key keeps the times of its last
 * {@code limit} admitted events (a sliding log, exact where a fixed window would allow twice the limit across a
 * window boundary). Memory is bounded: keys quiet for a whole window are dropped by a sweep every 1024 calls.
 * Every change to a key's log happens inside {@code compute}, so a sweep never loses a concurrent event.
 */
final class SlidingWindow {
    private static final int SWEEP_EVERY = 1024;

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanos;
    private final Map<String, ArrayDeque<Long>> logs = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();

    SlidingWindow(int limit, Duration window, LongSupplier nanos) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanos = nanos;
    }

    /** Counts an event for {@code key}; empty when admitted, else how long until the oldest event leaves the window. */
    Optional<Duration> tryAcquire(String key) {
        long now = nanos.getAsLong();
        if (sinceSweep.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        Duration[] wait = new Duration[1];
        logs.compute(key, (k, log) -> {
            ArrayDeque<Long> times = log != null ? log : new ArrayDeque<>(Math.min(limit, 64));
            while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                wait[0] = Duration.ofNanos(times.peekFirst() + windowNanos - now);
            } else {
                times.addLast(now);
            }
            return times;
        });
        return Optional.ofNullable(wait[0]);
    }

    int keys() {
        return logs.size();
    }

    private void sweep(long now) {
        for (String key : logs.keySet()) {
            logs.computeIfPresent(key, (k, times) -> times.isEmpty() || now - times.peekLast() >= windowNanos ? null : times);
        }
    }
}
