package org.chatrelay.relay;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.chatrelay.config.AppConfig;

/**
 * The answers in flight on this node, by assistant message id. One ticker thread serves them all (heartbeats and
 * timers), instead of a scheduled task per stream: 10,000 idle streams cost one map walk a second.
 */
final class StreamRegistry implements AutoCloseable {
    private final Map<String, RelayStream> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    StreamRegistry(AppConfig config) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (RelayStream s : streams.values()) {
                try {
                    s.tick(now, config.heartbeat());
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(StreamRegistry.class).warn("tick failed for {}", s.answer().requestId(), e);
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    void add(RelayStream s) {
        streams.put(s.answer().ids().assistantMessageId(), s);
    }

    void remove(RelayStream s) {
        streams.remove(s.answer().ids().assistantMessageId(), s);
    }

    /** The stream answering {@code messageId}, if it is live on this node and belongs to {@code visitorId}. */
    Optional<RelayStream> find(String messageId, String visitorId) {
        RelayStream s = streams.get(messageId);
        return s != null && s.answer().visitorId().equals(visitorId) ? Optional.of(s) : Optional.empty();
    }

    /** The live streams at this moment, for the shutdown drain. */
    List<RelayStream> snapshot() {
        return List.copyOf(streams.values());
    }

    /** The answers whose text grew since their last checkpoint, with their text now. */
    List<Checkpoints.Due> checkpointsDue() {
        List<Checkpoints.Due> due = new java.util.ArrayList<>();
        for (RelayStream s : streams.values()) {
            s.checkpointDue().ifPresent(due::add);
        }
        return due;
    }

    /** The chat answers waiting for a viewer to come back. */
    List<RelayStream> detached() {
        return streams.values().stream().filter(RelayStream::detached).toList();
    }

    int active() {
        return streams.size();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
