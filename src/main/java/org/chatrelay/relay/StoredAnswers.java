package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.StoredAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes of answers this node does not produce (another node owns them, or they ended): the answer's row is the
 * source. An ended answer's feed is complete at once. A streaming one's row is read again every checkpoint interval
 * while its viewer is connected (one primary-key read per remote viewer per interval), and when it leaves
 * 'streaming' the rest and the terminal event follow from the stored rows. Now and then the poll stamps the row, so
 * the owning node does not end the answer as abandoned while it is watched from here (docs/deployment.md, "Resumes
 * across nodes"). One thread serves every remote viewer of the node.
 */
final class StoredAnswers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoredAnswers.class);
    private final CheckpointRepository rows;
    private final ObjectMapper json;
    private final Duration every;
    private final Duration heartbeat;
    /** Often enough that a stamp is never older than a third of the grace when the owner looks; null with no grace (nobody looks). */
    private final Duration stampEvery;
    private final ScheduledExecutorService timer;
    /** Viewers per answer that this node serves from the rows ({@link Resumes#MAX_VIEWERS} at most). */
    private final Map<String, Integer> viewers = new ConcurrentHashMap<>();

    StoredAnswers(CheckpointRepository rows, ObjectMapper json, Duration every, Duration heartbeat, Duration grace) {
        this.rows = rows;
        this.json = json;
        this.every = every;
        this.heartbeat = heartbeat;
        Duration third = grace.dividedBy(3);
        this.stampEvery = grace.isZero() ? null : third.compareTo(every) > 0 ? third : every;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "resume-poll");
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts a viewer of {@code messageId} served from its rows; false when it has as many as it may. */
    boolean take(String messageId) {
        boolean[] taken = {false};
        viewers.compute(messageId, (id, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < Resumes.MAX_VIEWERS;
            return taken[0] ? now + 1 : now;
        });
        return taken[0];
    }

    /** The viewer {@link #take} counted is gone, or never started. */
    void release(String messageId) {
        viewers.computeIfPresent(messageId, (id, n) -> n <= 1 ? null : n - 1);
    }

    Optional<StoredAnswer> read(String messageId, String visitorId) {
        return rows.read(messageId, visitorId);
    }

    /**
     * Fills {@code feed} from {@code first} and, while the answer streams elsewhere, keeps it up to date; the viewer
     * {@link #take} counted is released when this stops following.
     */
    void follow(AnswerFeed feed, StoredAnswer first, String visitorId) {
        try {
            if (apply(feed, first)) {
                release(first.messageId());
                return;
            }
        } catch (RuntimeException e) {
            release(first.messageId());
            failed(feed, first.messageId(), e);
            return;
        }
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        // When this viewer last stamped the row (System.nanoTime(), whose origin is arbitrary: only differences count).
        long[] stampedAt = new long[1];
        boolean[] stamped = {false};
        Runnable stop = () -> {
            task.get().cancel(false);
            release(first.messageId());
        };
        Runnable poll = () -> {
            if (feed.viewers() == 0) {
                stop.run();
                return;
            }
            long now = System.nanoTime();
            try {
                if (stampEvery != null && (!stamped[0] || now - stampedAt[0] >= stampEvery.toNanos())) {
                    rows.markViewed(first.messageId());
                    stamped[0] = true;
                    stampedAt[0] = now;
                }
                Optional<StoredAnswer> a = rows.read(first.messageId(), visitorId);
                if (a.isEmpty()) {
                    // The conversation was deleted while it was watched.
                    feed.end(error("not_found", "The answer was deleted.", false, first.messageId()));
                }
                if (a.isEmpty() || apply(feed, a.get())) {
                    stop.run();
                    return;
                }
            } catch (PersistenceException e) {
                // The database is away for a moment: the viewer keeps its heartbeats and the next poll tries again.
                LOG.debug("resume poll of {} failed: {}", first.messageId(), e.getMessage());
            } catch (RuntimeException e) {
                // Anything else would cancel this task silently, leaving the viewer with neither heartbeats nor an end.
                failed(feed, first.messageId(), e);
                stop.run();
                return;
            }
            feed.heartbeat(now, heartbeat);
        };
        synchronized (task) {
            task.set(timer.scheduleWithFixedDelay(() -> {
                synchronized (task) {
                    poll.run();
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The answer cannot be followed from its rows: the viewer gets an error event (a reconnect may try again). */
    private void failed(AnswerFeed feed, String messageId, RuntimeException e) {
        LOG.error("cannot serve the resume of answer {} from its rows", messageId, e);
        feed.end(error("internal_error", "Something went wrong on our side. It has been logged.", true, messageId));
    }

    private byte[] error(String code, String message, boolean retryable, String messageId) {
        return SseFrames.event(json, "error", json.createObjectNode().put("code", code).put("message", message)
                .put("retryable", retryable).put("messageId", messageId));
    }

    /** @return whether the answer has ended (the feed then holds everything) */
    private boolean apply(AnswerFeed feed, StoredAnswer a) {
        feed.catchUp(a.content(), a.reasoning());
        if (a.streaming()) {
            return false;
        }
        feed.end(StoredTerminal.frame(json, a));
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
