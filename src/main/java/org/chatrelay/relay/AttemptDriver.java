package org.chatrelay.relay;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.chatrelay.config.ConfigException;
import org.chatrelay.routing.AttemptPlan;
import org.chatrelay.routing.Candidate;
import org.chatrelay.routing.ProviderGate;
import org.chatrelay.upstream.UpstreamFailure;

/**
 * Carries out one answer's {@link AttemptPlan}: waits (a timer entry, never a thread), queues at the provider's
 * gate, starts each attempt with the key read at that moment, and feeds each failure back to the plan.
 *
 * <p>Lock order: the stream, then this driver. The driver never calls the stream while holding its own lock.
 */
final class AttemptDriver {
    private final RelayService relay;
    private final RelayStream stream;
    private final AttemptPlan plan;
    private Runnable cancelWait;
    private long waits;
    /** When the answer became ready for its next attempt: its start, or the last failure. */
    private long readySince = System.nanoTime();
    private int started;
    private boolean closed;
    /** When the gate queue this answer waits in gives up on it (nanoTime); 0 while it waits in none. */
    private long queueDeadline;

    AttemptDriver(RelayService relay, RelayStream stream, AttemptPlan plan) {
        this.relay = relay;
        this.stream = stream;
        this.plan = plan;
    }

    void start() {
        AttemptPlan.Step first;
        synchronized (this) {
            first = plan.first();
        }
        follow(first);
    }

    /** The candidate being tried (or last tried). */
    synchronized Optional<Candidate> candidate() {
        return plan.current();
    }

    /** An attempt (or, with {@code a} null, a wait at a provider's gate) failed before any content was sent. */
    void failed(Attempt a, UpstreamFailure f) {
        // Read outside every lock: it may touch the key file.
        boolean keyChanged = a != null && f.authRefused() && keyChanged(a);
        if (!stream.retire(a, f)) {
            return;
        }
        if (a != null) {
            relay.log().attemptFailed(stream.answer(), a, f);
            if (!f.requestCaused()) {
                // A chat too long for the context would put a provider into cooldown for everyone: not its fault.
                a.countHealth(false, relay.log());
            }
        }
        Duration left = stream.timeLeft();
        boolean accepted = a != null && a.acceptedStatus() != null;
        AttemptPlan.Step next;
        synchronized (this) {
            readySince = System.nanoTime();
            next = plan.afterFailure(f, accepted, keyChanged, left);
        }
        follow(next);
    }

    /** The answer ended: withdraw from any gate queue or back-off; start nothing more. */
    void cancelWait() {
        Runnable cancel;
        synchronized (this) {
            closed = true;
            cancel = cancelWait;
            cancelWait = null;
        }
        if (cancel != null) {
            cancel.run();
        }
    }

    private void follow(AttemptPlan.Step step) {
        if (step instanceof AttemptPlan.GiveUp g) {
            relay.log().gaveUp(stream.answer(), g.failure(), stream.attemptCount());
            stream.fail(g.failure());
            return;
        }
        AttemptPlan.Try t = (AttemptPlan.Try) step;
        long wait;
        synchronized (this) {
            if (closed) {
                return;
            }
            wait = ++waits;
        }
        if (t.delay().isZero()) {
            queue(t.candidate(), wait);
            return;
        }
        ScheduledFuture<?> timer = relay.router().timer().schedule(() -> queue(t.candidate(), wait), t.delay().toMillis(), TimeUnit.MILLISECONDS);
        keepCancel(wait, () -> timer.cancel(false));
    }

    private void queue(Candidate c, long wait) {
        if (stream.ended()) {
            return;
        }
        synchronized (this) {
            queueDeadline = System.nanoTime() + c.provider().config().queueWait().toNanos();
        }
        keepCancel(wait, c.provider().gate().acquire(permit -> begin(c, permit), reason -> busy(c, reason)));
    }

    /**
     * Whether a gate queue's answer is due within {@code soon}: a place, or its refusal (a 503 with Retry-After, which
     * only a JSON error can carry). The browser's stream is not opened early while that answer is this close.
     */
    synchronized boolean queueAnswerDue(long now, Duration soon) {
        return queueDeadline != 0 && queueDeadline - now <= soon.toNanos();
    }

    /** Remembers how to withdraw the latest wait; a wait that began later (or an ended answer) wins. */
    private void keepCancel(long wait, Runnable cancel) {
        boolean now;
        synchronized (this) {
            now = closed;
            if (!closed && wait == waits) {
                cancelWait = cancel;
            }
        }
        if (now) {
            cancel.run();
        }
    }

    private void begin(Candidate c, ProviderGate.Permit permit) {
        Attempt a;
        synchronized (this) {
            queueDeadline = 0;
            // Back-off, Retry-After and queue waits alike: the time since the answer was ready for this attempt.
            long waited = (System.nanoTime() - readySince) / 1_000_000;
            a = new Attempt(stream, ++started, c, permit, (int) Math.min(Integer.MAX_VALUE, waited));
        }
        if (!stream.adopt(a)) {
            permit.release();
            return;
        }
        try {
            a.key = c.provider().config().key().current().orElse(null);
        } catch (ConfigException e) {
            a.refuse(UpstreamFailure.of(UpstreamFailure.Kind.NO_KEY, e.getMessage()));
            return;
        }
        a.start(relay.upstream(), stream.answer().prompt());
    }

    private void busy(Candidate c, String reason) {
        synchronized (this) {
            queueDeadline = 0;
        }
        relay.log().providerBusy(stream.answer(), c, reason);
        failed(null, new UpstreamFailure(UpstreamFailure.Kind.BUSY, 0, Optional.of(Duration.ofSeconds(1)), c + " " + reason));
    }

    /** Whether the key now differs from the one the provider refused: a rotation that the refused request missed. */
    private static boolean keyChanged(Attempt a) {
        try {
            return !Objects.equals(a.key, a.candidate.provider().config().key().current().orElse(null));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
