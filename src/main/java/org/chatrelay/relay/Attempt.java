package org.chatrelay.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chatrelay.config.Dialect;
import org.chatrelay.config.Timeouts;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.routing.Candidate;
import org.chatrelay.routing.ProviderGate;
import org.chatrelay.upstream.ChatMessage;
import org.chatrelay.upstream.UpstreamClient;
import org.chatrelay.upstream.UpstreamExchange;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.upstream.UpstreamTimeout;

/**
 * One upstream request of an answer: its exchange, its timers and the facts its stream reported. Its
 * {@link AttemptListener} hears the exchange and forwards every event to the {@link RelayStream}, which ignores it
 * unless this is still the current attempt: a late event of an aborted attempt can never reach the browser.
 *
 * <p>Locking: this object's lock guards its mutable facts (the fields below that are neither final nor volatile). It
 * is the innermost lock: the stream may take it while holding its own, and nothing done under it calls out of this
 * class, so no other lock is ever taken inside it.
 */
final class Attempt {
    final RelayStream stream;
    private final AttemptListener listener;
    final int number;
    final Candidate candidate;
    final int waitedMs;
    final long startNanos = System.nanoTime();
    final Instant startedAt = Instant.now();
    private final AtomicBoolean healthCounted = new AtomicBoolean();
    private volatile UpstreamExchange exchange;
    private volatile boolean abortWanted;
    volatile String key;
    volatile boolean requestSent;
    private boolean accepted;
    /**
     * Model output of any kind (reasoning or text) reached the browser: the first-token timer is satisfied, and the
     * answer has started, so it is never retried or replayed.
     */
    private boolean content;
    private int status;
    /**
     * A pass-through call's provider events before its first content, held back: if this attempt fails before content
     * and the next one answers, the client must see one {@code message_start} (or role chunk), not two. A few hundred
     * bytes (the opening events); after the first content, events go to the client's queue as they come.
     */
    private final List<byte[]> held = new ArrayList<>(4);
    private String finishReason;
    private String modelReported;
    private Integer promptTokens;
    private Integer completionTokens;
    private Integer reasoningTokens;
    private String outcome;
    private Integer rowStatus;
    private String errorCode;
    private long endNanos;

    Attempt(RelayStream stream, int number, Candidate candidate, ProviderGate.Permit permit, int waitedMs) {
        this.stream = stream;
        this.number = number;
        this.candidate = candidate;
        this.waitedMs = waitedMs;
        this.listener = new AttemptListener(this, permit);
    }

    void start(UpstreamClient client, List<ChatMessage> prompt) {
        UpstreamExchange ex;
        try {
            CallOptions options = stream.answer().options();
            Dialect dialect = candidate.target().dialect();
            ex = client.stream(candidate.target(), key, prompt, options.fields(dialect), options.passThrough(dialect), listener, listener);
        } catch (RuntimeException e) {
            refuse(UpstreamFailure.of(UpstreamFailure.Kind.IO, e.toString()));
            return;
        }
        exchange = ex;
        // The attempt may have been given up (Stop, timer) before the exchange existed: abort it now.
        if (abortWanted) {
            ex.abort(new java.util.concurrent.CancellationException("attempt ended"));
        }
    }

    /** The request could not be sent: as if its provider had refused it (its place at the gate goes back). */
    void refuse(UpstreamFailure f) {
        listener.onRejected(f);
    }

    void abort(Throwable cause) {
        abortWanted = true;
        UpstreamExchange ex = exchange;
        if (ex != null) {
            ex.abort(cause);
        }
    }

    /**
     * Checks this attempt's own timers. Before the response began, an overdue connect or response is aborted here:
     * that is a failure the driver may retry. Returns true when the stream began but no text came in time.
     */
    boolean firstTokenOverdue(long now, Timeouts t) {
        boolean began;
        synchronized (this) {
            if (content) {
                return false;
            }
            began = accepted;
        }
        long age = now - startNanos;
        if (!requestSent && age >= t.connect().toNanos()) {
            abort(new UpstreamTimeout(UpstreamTimeout.Phase.CONNECT));
        } else if (age >= t.firstToken().toNanos()) {
            if (began) {
                return true;
            }
            abort(new UpstreamTimeout(UpstreamTimeout.Phase.RESPONSE));
        }
        return false;
    }

    void resume() {
        UpstreamExchange ex = exchange;
        if (ex != null) {
            ex.resume();
        }
    }

    /** Counts this attempt once in its provider's health record. */
    void countHealth(boolean success, RelayLog log) {
        if (healthCounted.compareAndSet(false, true) && candidate.provider().health().record(success)) {
            log.cooldownStarted(candidate.provider());
        }
    }

    // Facts are kept per attempt, so a stale attempt's late facts can never mix into the answer's.

    synchronized void finishReason(String reason) {
        finishReason = reason;
    }

    /** Later reports replace earlier ones (Anthropic's are cumulative); a missing half keeps its value. */
    synchronized void usage(Integer prompt, Integer completion) {
        if (prompt != null) {
            promptTokens = prompt;
        }
        if (completion != null) {
            completionTokens = completion;
        }
    }

    synchronized void reasoningTokens(int tokens) {
        reasoningTokens = tokens;
    }

    synchronized void modelReported(String model) {
        modelReported = model;
    }

    /** The stream facts the answer's outcome takes from its last attempt. */
    record Facts(String finishReason, String modelReported, Integer promptTokens, Integer completionTokens, Integer reasoningTokens) {
        static final Facts NONE = new Facts(null, null, null, null, null);
    }

    synchronized Facts facts() {
        return new Facts(finishReason, modelReported, promptTokens, completionTokens, reasoningTokens);
    }

    synchronized void accepted(int status) {
        this.accepted = true;
        this.status = status;
    }

    /** The provider's HTTP status once its stream was accepted, else null. */
    synchronized Integer acceptedStatus() {
        return accepted ? status : null;
    }

    synchronized int status() {
        return status;
    }

    synchronized boolean hasContent() {
        return content;
    }

    /** Marks that model output reached the browser; true the first time. */
    synchronized boolean startContent() {
        boolean first = !content;
        content = true;
        return first;
    }

    /** Holds a pass-through frame back until the first content; false once content began (send it at once). */
    synchronized boolean holdUntilContent(byte[] frame) {
        if (content) {
            return false;
        }
        held.add(frame);
        return true;
    }

    /** The frames held back, to go to the client first; none after this call. */
    synchronized List<byte[]> takeHeld() {
        List<byte[]> out = List.copyOf(held);
        held.clear();
        return out;
    }

    synchronized String finishReason() {
        return finishReason;
    }

    /** Records the attempt's fate once it is known; later calls change nothing. */
    synchronized void close(String outcome, Integer status, String errorCode) {
        if (this.outcome == null) {
            this.outcome = outcome;
            this.rowStatus = status;
            this.errorCode = errorCode;
            this.endNanos = System.nanoTime();
        }
    }

    synchronized AttemptRow row() {
        long end = outcome == null ? System.nanoTime() : endNanos;
        return new AttemptRow(number, candidate.provider().name(), candidate.model().upstreamModel(),
                outcome == null ? "cancelled" : outcome, rowStatus, errorCode, waitedMs, startedAt,
                (int) Math.min(Integer.MAX_VALUE, (end - startNanos) / 1_000_000));
    }
}
