package org.chatrelay.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Answers streaming per visitor on this node; a visitor with none has no entry, so the map holds only live visitors. */
final class StreamSlots {
    private final int limit;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    StreamSlots(int limit) {
        this.limit = limit;
    }

    /** Takes a slot; false (and nothing taken) when the visitor already has {@code limit} streams. */
    boolean tryTake(String visitorId) {
        boolean[] taken = new boolean[1];
        open.compute(visitorId, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= limit) {
                return n;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    void release(String visitorId) {
        open.computeIfPresent(visitorId, (k, n) -> n <= 1 ? null : n - 1);
    }

    int open(String visitorId) {
        return open.getOrDefault(visitorId, 0);
    }
}
