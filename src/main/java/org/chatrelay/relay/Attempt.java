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
import org.chatrelay.upstream.ExchangeListener;
import org.chatrelay.upstream.StreamHandler;
import org.chatrelay.upstream.UpstreamClient;
import org.chatrelay.upstream.UpstreamExchange;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.upstream.UpstreamTimeout;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * One upstream request of an answer. It forwards every event to its {@link RelayStream}, which ignores it unless
 * this is still the current attempt: a late event of an aborted attempt can never reach the browser; the events that
 * end it go to its {@link UpstreamEvents}.
 *
 * <p>Locking: this object's lock guards its mutable facts (the fields below that are neither final nor volatile). It
 * is the innermost lock: the stream may take it while holding its own, and nothing done under it calls out of this
 * class, so no other lock is ever taken inside it.
 */
final class Attempt implements StreamHandler, ExchangeListener {
    final RelayStream stream;
    private final UpstreamEvents events;
    final int number;
    final Candidate candidate;
    final int waitedMs;
    final long startNanos = System.nanoTime();
    final Instant startedAt = Instant.now();
    private final ProviderGate.Permit permit;
    private final AtomicBoolean healthCounted = new AtomicBoolean();
    private final SurrogateJoiner joiner = new SurrogateJoiner();
    /** Reasoning is a text of its own: a pair split across its chunks is joined apart from the answer's. */
    private final SurrogateJoiner reasoningJoiner = new SurrogateJoiner();
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
        this.events = stream.events();
        this.number = number;
        this.candidate = candidate;
        this.permit = permit;
        this.waitedMs = waitedMs;
    }

    void start(UpstreamClient client, List<ChatMessage> prompt) {
        UpstreamExchange ex;
        try {
            CallOptions options = stream.answer().options();
            Dialect dialect = candidate.target().dialect();
            ex = client.stream(candidate.target(), key, prompt, options.fields(dialect), options.passThrough(dialect), this, this);
        } catch (RuntimeException e) {
            onRejected(UpstreamFailure.of(UpstreamFailure.Kind.IO, e.toString()));
            return;
        }
        exchange = ex;
        // The attempt may have been given up (Stop, timer) before the exchange existed: abort it now.
        if (abortWanted) {
            ex.abort(new java.util.concurrent.CancellationException("attempt ended"));
        }
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

    // ---- exchange lifecycle: the permit goes back as soon as the exchange is over, whoever ended it ----

    @Override
    public void onRequestSent() {
        requestSent = true;
    }

    @Override
    public void onAccepted(int status) {
        stream.onAccepted(this, status);
    }

    @Override
    public void onRejected(UpstreamFailure failure) {
        permit.release();
        events.onRejected(this, failure);
    }

    @Override
    public void onEnded(Throwable failure) {
        permit.release();
        flushText();
        events.onEnded(this, failure);
    }

    @Override
    public void onDecodeFailure(RuntimeException e) {
        events.onDecodeFailure(this, e);
    }

    @Override
    public boolean readyForMore() {
        return stream.readyForMore();
    }

    // ---- dialect events ----

    @Override
    public void onRawEvent(SseEvent event) {
        stream.onRaw(this, event);
    }

    @Override
    public void onText(String text) {
        // A half pair the reasoning still holds ends with it: its U+FFFD goes out before the first answer piece, never after.
        flushReasoning();
        output(RelayStream.Output.TEXT, joiner.join(text));
    }

    private void flushText() {
        flushReasoning();
        output(RelayStream.Output.TEXT, joiner.flush());
    }

    private void flushReasoning() {
        output(RelayStream.Output.REASONING, reasoningJoiner.flush());
    }

    @Override
    public void onReasoning(String text) {
        output(RelayStream.Output.REASONING, reasoningJoiner.join(text));
    }

    /** A joiner's piece, if it gave one (null or empty while it holds half a pair). */
    private void output(RelayStream.Output kind, String piece) {
        if (piece != null && !piece.isEmpty()) {
            stream.onOutput(this, kind, piece);
        }
    }

    // Facts are kept per attempt, so a stale attempt's late facts can never mix into the answer's.

    @Override
    public void onFinish(String reason) {
        synchronized (this) {
            finishReason = reason;
        }
    }

    @Override
    public void onUsage(Integer prompt, Integer completion) {
        synchronized (this) {
            // Later reports replace earlier ones (Anthropic's are cumulative); a missing half keeps its value.
            if (prompt != null) {
                promptTokens = prompt;
            }
            if (completion != null) {
                completionTokens = completion;
            }
        }
    }

    @Override
    public void onReasoningTokens(int tokens) {
        synchronized (this) {
            reasoningTokens = tokens;
        }
    }

    @Override
    public void onModel(String model) {
        synchronized (this) {
            modelReported = model;
        }
    }

    @Override
    public void onProviderError(String code, String message) {
        events.onProviderError(this, code);
    }

    @Override
    public void onToolCall() {
        events.onToolCall(this);
    }

    @Override
    public void onTerminator() {
        flushText();
        events.onTerminator(this);
    }

    @Override
    public void onProtocolError(String message) {
        events.onProtocolError(this, message);
    }
}
