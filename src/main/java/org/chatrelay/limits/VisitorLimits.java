package org.chatrelay.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongBiFunction;

/**
 * Admission of chat requests, checked before anything is stored or sent upstream. Requests per minute (per visitor
 * and per client address) and concurrent streams are counted in this node's memory; the daily token budget is read
 * from the database, so it holds across nodes.
 */
public final class VisitorLimits {
    /** There is no telling when a running answer ends; a few seconds is a fair first retry. */
    static final Duration STREAM_RETRY = Duration.ofSeconds(5);

    private final LimitsConfig config;
    private final ToLongBiFunction<String, Instant> tokensSince;
    private final Clock clock;
    private final SlidingWindow perVisitor;
    private final SlidingWindow perAddress;
    private final StreamSlots streams;

    /** @param tokensSince a visitor's tokens since an instant, from the database ({@code VisitorUsageRepository}) */
    public VisitorLimits(LimitsConfig config, ToLongBiFunction<String, Instant> tokensSince, Clock clock) {
        this.config = config;
        this.tokensSince = tokensSince;
        this.clock = clock;
        this.perVisitor = new SlidingWindow(config.perVisitorPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        this.perAddress = new SlidingWindow(config.perAddressPerMinute(), Duration.ofMinutes(1), System::nanoTime);
        this.streams = new StreamSlots(config.streamsPerVisitor());
    }

    public LimitsConfig config() {
        return config;
    }

    /**
     * Admits one chat request or says why not. The caller must close the admission; once the relay took the answer
     * ({@link Admission#handedOver}) the stream slot is given back when the answer ends instead.
     */
    public Admission admit(String visitorId, String address) throws LimitExceeded {
        if (config.perAddressPerMinute() > 0) {
            rate(perAddress.tryAcquire(address));
        }
        if (config.perVisitorPerMinute() > 0) {
            rate(perVisitor.tryAcquire(visitorId));
        }
        if (config.dailyTokens() > 0) {
            Instant now = clock.instant();
            Instant midnight = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
            if (tokensSince.applyAsLong(visitorId, midnight) >= config.dailyTokens()) {
                throw new LimitExceeded("budget_exhausted", "You have used today's allowance of "
                        + config.dailyTokens() + " tokens. It renews at midnight UTC.", Duration.between(now, midnight.plus(Duration.ofDays(1))));
            }
        }
        if (config.streamsPerVisitor() > 0 && !streams.tryTake(visitorId)) {
            throw new LimitExceeded("too_many_streams", "You already have " + config.streamsPerVisitor()
                    + " answers streaming. Wait for one to finish or stop it.", STREAM_RETRY);
        }
        return new Admission(visitorId, config.streamsPerVisitor() > 0);
    }

    /** Answers this visitor has streaming on this node. */
    public int openStreams(String visitorId) {
        return streams.open(visitorId);
    }

    private static void rate(Optional<Duration> wait) throws LimitExceeded {
        if (wait.isPresent()) {
            throw new LimitExceeded("rate_limited", "Too many messages in a minute. Please wait a moment.", wait.get());
        }
    }

    /**
     * A taken stream slot. Given back exactly once: when the answer it admitted has ended ({@link #answerEnded}, run by
     * the relay once the answer's end is stored), or on close if the relay never took the answer. Not when the request
     * completes: a chat answer outlives its POST when its browser leaves (it generates on for a resume), and the
     * container completes that request at once after an error dispatch (an h2 reset).
     */
    public final class Admission implements AutoCloseable {
        private final String visitorId;
        private final AtomicBoolean released;
        private volatile boolean handedOver;

        private Admission(String visitorId, boolean holdsSlot) {
            this.visitorId = visitorId;
            this.released = new AtomicBoolean(!holdsSlot);
        }

        /** The relay took the answer: from now on {@link #answerEnded} gives the slot back, not {@link #close}. */
        public void handedOver() {
            handedOver = true;
        }

        /** The admitted answer has ended (its end stored, or it was refused): the slot goes back. */
        public void answerEnded() {
            if (released.compareAndSet(false, true)) {
                streams.release(visitorId);
            }
        }

        @Override
        public void close() {
            if (!handedOver) {
                answerEnded();
            }
        }
    }
}
