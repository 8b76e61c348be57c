package org.chatrelay.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.chatrelay.config.RetryPolicy;
import org.chatrelay.upstream.UpstreamFailure;

/**
 * The retry and fallback policy of one answer, before its first token: after each failed attempt it says what
 * to do next — try (the same or the next candidate, after a wait) or give up. It only decides; the relay acts.
 *
 * <ul>
 * <li>Transient failures (connect, timeouts before the response, 408, 409, 429, 5xx, 529, an error event or a cut
 *     before any content) are retried on the same provider up to its {@code maxAttempts}, waiting a full-jitter
 *     back-off or the provider's {@code Retry-After}; a {@code Retry-After} above the cap is not waited for.</li>
 * <li>Then the next candidate of the route is tried. Providers cooling down go to the back of the route: skipped
 *     while another can answer, still tried when none can (a cooldown must not turn a partial outage into a full one).</li>
 * <li>A refused key is re-read: if it changed (a rotation), one retry at once; otherwise the next candidate.</li>
 * <li>After a stream was accepted (the browser already has {@code start}), at most one more attempt: the provider
 *     took the request, and replaying it again and again could bill it again and again.</li>
 * <li>Anything else (400, a non-stream 200, a malformed stream) would fail the same way again: give up.</li>
 * </ul>
 */
public final class AttemptPlan {
    public sealed interface Step permits Try, GiveUp {
    }

    /** Start an attempt on {@code candidate} after {@code delay}. */
    public record Try(Candidate candidate, Duration delay) implements Step {
    }

    /** No more attempts: report {@code failure}, with the {@code Retry-After} the browser should get. */
    public record GiveUp(UpstreamFailure failure) implements Step {
    }

    private final List<Candidate> candidates;
    private final DoubleSupplier random;
    private int index = -1;
    private int attemptsHere;
    private int afterAccept;
    private boolean keyRetried;

    public AttemptPlan(Route route, DoubleSupplier random) {
        List<Candidate> healthy = new ArrayList<>();
        List<Candidate> cooling = new ArrayList<>();
        for (Candidate c : route.candidates()) {
            (c.provider().health().available() ? healthy : cooling).add(c);
        }
        healthy.addAll(cooling);
        this.candidates = List.copyOf(healthy);
        this.random = random;
    }

    public Step first() {
        return next(null);
    }

    /** The candidate of the attempt under way (or last made). */
    public Optional<Candidate> current() {
        return index >= 0 && index < candidates.size() ? Optional.of(candidates.get(index)) : Optional.empty();
    }

    /**
     * @param accepted   the failed attempt's stream had begun (a 2xx event stream)
     * @param keyChanged for a refused key: the key read now differs from the one refused
     * @param timeLeft   what remains of the answer's total time
     */
    public Step afterFailure(UpstreamFailure f, boolean accepted, boolean keyChanged, Duration timeLeft) {
        Candidate here = candidates.get(index);
        RetryPolicy policy = here.provider().config().retry();
        if (accepted && ++afterAccept > 1) {
            return new GiveUp(f);
        }
        if (f.authRefused()) {
            if (keyChanged && !keyRetried) {
                keyRetried = true;
                attemptsHere++;
                return new Try(here, Duration.ZERO);
            }
            return next(f);
        }
        if (f.kind() == UpstreamFailure.Kind.NO_KEY || f.kind() == UpstreamFailure.Kind.BUSY) {
            // The queue wait was this provider's wait already.
            return next(f);
        }
        if (!f.transientFailure()) {
            return new GiveUp(f);
        }
        Optional<Duration> retryAfter = f.retryAfter();
        if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.retryAfterCap()) > 0) {
            return next(f);
        }
        if (attemptsHere >= policy.maxAttempts()) {
            return next(f);
        }
        Duration wait = retryAfter.orElseGet(() -> jitter(policy.ceiling(attemptsHere)));
        if (wait.compareTo(timeLeft) >= 0) {
            return next(f);
        }
        attemptsHere++;
        return new Try(here, wait);
    }

    /** Full jitter: uniform in [0, ceiling], so many clients that failed together do not retry together. */
    private Duration jitter(Duration ceiling) {
        return Duration.ofMillis((long) Math.floor(random.getAsDouble() * (ceiling.toMillis() + 1)));
    }

    private Step next(UpstreamFailure last) {
        if (++index < candidates.size()) {
            attemptsHere = 1;
            return new Try(candidates.get(index), Duration.ZERO);
        }
        index = candidates.size() - 1;
        return new GiveUp(last);
    }
}
