package org.chatrelay.cluster;

import java.time.Duration;
import java.time.Instant;
import org.chatrelay.persistence.StopRequestRepository;
import org.chatrelay.persistence.AnswerRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes answers a lost node left 'streaming'. A node marks its own at start-up; this catches a node that never
 * comes back. Every node runs it: an answer older than the longest possible answer plus a margin cannot be live
 * anywhere, since each node's ticker ends its answers at {@code CHATRELAY_MAX_TURN_MS}.
 */
public final class StaleAnswerSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StaleAnswerSweeper.class);
    /** Time for a just-ended answer to be stored after its max-answer timer fired. */
    static final Duration MARGIN = Duration.ofMinutes(2);
    static final Duration STOP_REQUEST_AGE = Duration.ofMinutes(10);
    /** Node ids are never blank, so this matches no node: only the staleness rule applies. */
    private static final String NO_NODE = "";

    private final AnswerRepository answers;
    private final StopRequestRepository stops;
    private final Duration maxAnswer;
    private final PeriodicTask timer;

    public StaleAnswerSweeper(AnswerRepository answers, StopRequestRepository stops, Duration maxAnswer, Duration every) {
        this.answers = answers;
        this.stops = stops;
        this.maxAnswer = maxAnswer;
        this.timer = new PeriodicTask("stale-sweeper", every, this::sweepQuietly);
    }

    /** @return how many answers became 'interrupted' */
    int sweep(Instant now) {
        int interrupted = answers.markInterrupted(NO_NODE, now.minus(maxAnswer).minus(MARGIN));
        if (interrupted > 0) {
            LOG.warn("marked {} answers left streaming by a lost node as interrupted", interrupted);
        }
        stops.deleteOlderThan(now.minus(STOP_REQUEST_AGE));
        return interrupted;
    }

    private void sweepQuietly() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("stale answer sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.close();
    }
}
