package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.chatrelay.config.Timeouts;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.routing.AttemptPlan;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * One answer in flight: upstream events in, browser frames out. It ends exactly once, through {@link #end},
 * whatever ends it first — the provider, the browser, the user's Stop, a timer. Its attempts are driven by an
 * {@link AttemptDriver}; only the current attempt's events count, and none is retried once text was sent.
 *
 * <p>The browser's 200 and {@code start} are committed when the first attempt's stream is accepted, or after
 * {@link #OPEN_WHILE_CONNECTING} if no attempt was accepted by then; failures before that become a JSON error, later
 * ones an {@code error} event. Lock order: this object, then its driver, its {@link SseSink} or a gate's own
 * lock; nothing done under this lock calls into another answer (a gate hands freed places over on its timer).
 */
final class RelayStream implements AsyncListener {
    private enum Phase { CONNECTING, STREAMING, ENDED }

    /** How long a provider may take to finish its response after the terminator before the request is aborted. */
    static final long FINISH_GRACE_MS = 2_000;
    /**
     * How long an answer may still be connecting before the browser's stream opens anyway. Retries, Retry-After and
     * queue waits can outlast a proxy's read timeout (nginx's 60 s) while nothing is sent; an open stream carries
     * heartbeats instead. Failures within this time stay JSON errors with their own status; it is as long as the
     * default queue wait, so a provider that is full is still a 503 with Retry-After. The tick opens it, so 2-3 s.
     */
    static final Duration OPEN_WHILE_CONNECTING = Duration.ofSeconds(2);
    /**
     * A gate queue's answer due within this long is waited for before the stream opens early: the default queue wait
     * is as long as {@link #OPEN_WHILE_CONNECTING}, and the tick must not win that race by a few milliseconds and turn a
     * full provider's 503 with Retry-After into an error event. Short enough for any proxy's read timeout.
     */
    static final Duration QUEUE_ANSWER_AWAITED = Duration.ofSeconds(3);

    private final RelayService relay;
    private final AnswerRequest answer;
    private final BrowserResponse browser;
    private final AnswerClock clock;
    private final AttemptDriver driver;
    private final List<Attempt> attempts = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private Phase phase = Phase.CONNECTING;
    private SseSink sink;
    private Attempt current;
    private String answeringProvider;
    /** The last look at the browser's queue found it full: upstream reads are paused because the browser is not reading. */
    private volatile boolean browserStalled;

    RelayStream(RelayService relay, AnswerRequest answer, AsyncContext async, Delivery delivery, long startNanos, AttemptPlan plan) {
        this.relay = relay;
        this.answer = answer;
        this.browser = new BrowserResponse(async, delivery);
        this.clock = new AnswerClock(startNanos);
        this.driver = new AttemptDriver(relay, this, plan);
    }

    AnswerRequest answer() {
        return answer;
    }

    void start() {
        driver.start();
    }

    // ---- used by the driver, under this lock ----

    synchronized boolean ended() {
        return phase == Phase.ENDED;
    }

    /** Makes {@code a} the attempt whose events count; false when the answer has ended meanwhile. */
    synchronized boolean adopt(Attempt a) {
        if (phase == Phase.ENDED) {
            return false;
        }
        attempts.add(a);
        current = a;
        return true;
    }

    /** Retires a failed attempt; false when it was not current any more (aborted, superseded, answer ended). */
    synchronized boolean retire(Attempt a, UpstreamFailure f) {
        if (phase == Phase.ENDED || a != null && a != current || a == null && current != null) {
            return false;
        }
        current = null;
        if (a != null) {
            a.close("failed", f.status() > 0 ? Integer.valueOf(f.status()) : a.accepted ? a.status : null, Rejection.attemptCode(f));
        }
        return true;
    }

    synchronized Duration timeLeft() {
        return timeouts().total().minusNanos(System.nanoTime() - clock.startNanos());
    }

    synchronized int attemptCount() {
        return attempts.size();
    }

    // ---- upstream events of one attempt ----

    void onAccepted(Attempt a, int status) {
        SseSink opened = null;
        synchronized (this) {
            if (a != current || phase == Phase.ENDED) {
                return;
            }
            a.accepted = true;
            a.status = status;
            browser.delivery().from(a.candidate.target().dialect());
            if (phase == Phase.CONNECTING) {
                answeringProvider = a.candidate.provider().name();
                opened = openStream();
            }
        }
        if (opened != null) {
            opened.begin();
        }
    }

    void onRejected(Attempt a, UpstreamFailure failure) {
        driver.failed(a, failure);
    }

    void onEnded(Attempt a, Throwable failure) {
        boolean content;
        String finish;
        int status;
        synchronized (this) {
            if (a != current || phase == Phase.ENDED) {
                return;
            }
            content = a.content;
            finish = a.finishReason;
            status = a.status;
        }
        if (failure == null && finish != null) {
            // docs/sse-conformance.md case 27: finish_reason arrived but the stream closed without its terminator:
            // complete, flagged.
            endCompleted(a, Outcome.NO_DONE);
        } else if (timeout(failure) && browserStalled) {
            // Reads were paused for the browser, so the provider's silence was ours: a client-side ending, no strike.
            end(a, EndReason.CLIENT_GONE, "client_stalled", "The browser stopped reading.", 499, Optional.empty(), null);
        } else if (timeout(failure)) {
            fault(a, EndReason.TIMEOUT, "upstream_idle_timeout", "The AI provider stopped sending for too long; the answer is incomplete.", 504);
        } else if (!content) {
            // Nothing reached the browser yet: as safe to retry as a failed connection.
            driver.failed(a, new UpstreamFailure(UpstreamFailure.Kind.CUT_BEFORE_CONTENT, status, Optional.empty(), String.valueOf(failure)));
        } else {
            fault(a, EndReason.UPSTREAM_CUT, "upstream_cut", "The AI provider's stream ended early; the answer is incomplete.", 502);
        }
    }

    private static boolean timeout(Throwable failure) {
        return failure instanceof TimeoutException || failure != null && failure.getCause() instanceof TimeoutException;
    }

    boolean readyForMore() {
        SseSink s;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                // What an ended answer's provider still sends (the end of its response after the terminator) is read and
                // dropped: that completes the request, which frees the provider's place and keeps the connection. A
                // parked read would hold both until FINISH_GRACE_MS aborts it, for the sink refuses once it is closed.
                return true;
            }
            s = sink;
        }
        boolean room = s == null || s.hasRoom();
        browserStalled = !room;
        return room;
    }

    void onText(Attempt a, String piece) {
        onOutput(a, piece, null);
    }

    /** Like {@link #onText}: reasoning is model output, so it starts the answer (no retry after it) and meets the first-token timer. */
    void onReasoning(Attempt a, String piece) {
        onOutput(a, null, piece);
    }

    /** Model output of the current attempt (text, reasoning, or neither for a tool call passed on). */
    private void onOutput(Attempt a, String piece, String thought) {
        boolean first;
        synchronized (this) {
            if (a != current || phase != Phase.STREAMING) {
                return;
            }
            first = !a.content;
            a.content = true;
            if (thought != null) {
                clock.onReasoning(System.nanoTime());
            } else {
                clock.onToken(System.nanoTime());
            }
            release(a);
            // Sent under this lock so no token can overtake the terminal frame.
            if (piece != null) {
                text.append(piece);
                send(browser.delivery().text(piece));
            }
            if (thought != null) {
                reasoning.append(thought);
                send(browser.delivery().reasoning(thought));
            }
        }
        if (first) {
            a.countHealth(true, relay.log());
        }
    }

    void onProviderError(Attempt a, String code, String message) {
        boolean content;
        int status;
        synchronized (this) {
            if (a != current || phase == Phase.ENDED) {
                return;
            }
            content = a.content;
            status = a.status;
        }
        relay.log().providerError(answer, a, code);
        if (!content) {
            // docs/sse-conformance.md case 33: before any content the error event is as good as a refusal: retry or
            // fall back (once).
            driver.failed(a, new UpstreamFailure(UpstreamFailure.Kind.PROVIDER_ERROR, status, Optional.empty(), code));
            a.abort(new CancellationException("error event before content"));
            return;
        }
        Rejection r = Rejection.providerError(code);
        if (new UpstreamFailure(UpstreamFailure.Kind.PROVIDER_ERROR, status, Optional.empty(), code).requestCaused()) {
            end(a, r.reason(), r.code(), "The answer was interrupted: " + r.message(), r.httpStatus(), Optional.empty(), null);
            return;
        }
        fault(a, r.reason(), r.code(), "The answer was interrupted: " + r.message(), r.httpStatus());
    }

    /** A pass-through call's provider event, as it came; held back until the attempt's first content. */
    void onRaw(Attempt a, SseEvent event) {
        synchronized (this) {
            if (a != current || phase != Phase.STREAMING) {
                return;
            }
            byte[] frame = browser.delivery().raw(event);
            if (frame == null) {
                return;
            } else if (a.content) {
                send(frame);
            } else {
                a.held.add(frame);
            }
        }
    }

    /** The attempt has begun its answer: what it held back goes to the client first. Caller holds the lock. */
    private void release(Attempt a) {
        if (!a.held.isEmpty() && sink != null) {
            a.held.forEach(sink::send);
            a.held.clear();
        }
    }

    void onToolCall(Attempt a) {
        if (browser.delivery().toolCallsPassed()) {
            // The client runs its own tools: a tool call is the answer's content, and its events are passed on.
            onOutput(a, null, null);
            return;
        }
        a.countHealth(true, relay.log());
        end(a, EndReason.UPSTREAM_ERROR, "unsupported_tool_call", "The model asked to call a tool, which this chat does not support.", 502, Optional.empty(), null);
    }

    void onTerminator(Attempt a) {
        a.countHealth(true, relay.log());
        endCompleted(a, null);
    }

    void onProtocolError(Attempt a, String message) {
        relay.log().protocolError(answer, a, message);
        fault(a, EndReason.UPSTREAM_ERROR, "upstream_protocol", "The AI provider sent a malformed stream.", 502);
    }

    /** Our own decode path failed on this stream: a protocol error, but no strike against the provider. */
    void onDecodeFailure(Attempt a, RuntimeException e) {
        relay.log().protocolError(answer, a, "decode failure: " + e);
        end(a, EndReason.UPSTREAM_ERROR, "upstream_protocol", "The AI provider sent a stream this server could not read.", 502,
                Optional.empty(), null);
    }

    // ---- browser side and timers ----

    /** The user pressed Stop. */
    void stopByUser() {
        end(null, EndReason.USER_STOP, null, "Stopped.", 200, Optional.empty(), null);
    }

    /** The node is stopping and the grace period is over. */
    void interruptForShutdown() {
        end(null, EndReason.INTERRUPTED, "shutting_down", "This server is restarting; the answer is incomplete. Please send it again.",
                503, Optional.empty(), null);
    }

    private void onClientGone(Throwable cause) {
        end(null, EndReason.CLIENT_GONE, "client_gone", "The browser went away.", 499, Optional.empty(), null);
    }

    /** Gives up after the driver's last attempt failed. */
    void fail(UpstreamFailure f) {
        Rejection r = Rejection.of(f);
        end(null, r.reason(), r.code(), r.message(), r.httpStatus(), f.retryAfter(), null);
    }

    /**
     * Called every second by the registry: heartbeats, and the timers no HTTP timeout covers — the total, the
     * connect and first-token timeouts of the current attempt (from its own start, so a retry gets its full time).
     */
    void tick(long now, Duration heartbeat) {
        Attempt a;
        Timeouts t;
        SseSink opened = null;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            if (phase == Phase.CONNECTING && now - clock.startNanos() >= OPEN_WHILE_CONNECTING.toNanos()
                    && !driver.queueAnswerDue(now, QUEUE_ANSWER_AWAITED)) {
                opened = openStream();
            } else if (phase == Phase.STREAMING && (text.isEmpty() || sink.nanosSinceLastWrite(now) >= heartbeat.toNanos())) {
                // Before the first token a heartbeat every tick: Jetty reports a closed browser connection only on a
                // write, and a browser that left while the answer connects must cancel its retries at once.
                send(browser.delivery().heartbeat());
            }
            a = current;
            t = timeouts();
        }
        if (opened != null) {
            opened.begin();
        }
        if (now - clock.startNanos() >= t.total().toNanos()) {
            end(null, EndReason.TIMEOUT, "max_turn_exceeded", "The answer took longer than the allowed maximum.", 504, Optional.empty(), null);
        } else if (a != null && a.firstTokenOverdue(now, t)) {
            fault(a, EndReason.TIMEOUT, "first_token_timeout", "The AI provider did not start answering in time.", 504);
        }
    }

    /** The current provider's timeouts, the total capped by the relay's own maximum answer length. */
    private Timeouts timeouts() {
        Timeouts t = (current != null ? Optional.of(current.candidate) : driver.candidate())
                .map(c -> c.provider().config().timeouts()).orElse(relay.config().timeouts());
        Duration max = relay.config().maxAnswer();
        return t.total().compareTo(max) <= 0 ? t : new Timeouts(t.connect(), t.firstToken(), t.idle(), max);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // Safety net only: the tick enforces the answer limit first. The container needs complete() now.
        end(null, EndReason.TIMEOUT, "max_turn_exceeded", "The answer took longer than the allowed maximum.", 504, Optional.empty(), null);
        browser.complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        onClientGone(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    // ---- ending ----

    private void endCompleted(Attempt a, String flag) {
        String finish;
        synchronized (this) {
            finish = a.finishReason;
        }
        EndReason reason = "length".equals(finish) || "max_tokens".equals(finish) ? EndReason.LENGTH : EndReason.COMPLETED;
        end(a, reason, null, null, 200, Optional.empty(), flag);
    }

    /** The current attempt failed in a way no retry may follow: it counts against its provider, and the answer ends. */
    private void fault(Attempt a, EndReason reason, String code, String message, int status) {
        a.countHealth(false, relay.log());
        end(a, reason, code, message, status, Optional.empty(), null);
    }

    /** Ends the answer once; {@code from} non-null means "only if that attempt is still the current one". */
    private void end(Attempt from, EndReason reason, String code, String message, int status, Optional<Duration> retryAfter, String flag) {
        Outcome outcome;
        Attempt a;
        synchronized (this) {
            if (phase == Phase.ENDED || from != null && from != current) {
                return;
            }
            boolean open = phase == Phase.STREAMING;
            phase = Phase.ENDED;
            a = current;
            current = null;
            if (a != null) {
                boolean answered = a.content || reason.finishedByModel();
                if (answered) {
                    // An empty answer still opens with what its provider sent (a message_start without text).
                    release(a);
                }
                boolean cancelled = reason.cancelled();
                a.close(answered ? "answered" : cancelled ? "cancelled" : "failed", a.accepted ? a.status : null, code);
            }
            outcome = Outcome.of(reason, code, message, status, retryAfter, text.toString(), a != null ? a : last(), clock, open,
                    flag, attempts.stream().map(Attempt::row).toList()).withReasoning(reasoning.toString(), clock);
        }
        relay.registry().remove(this);
        driver.cancelWait();
        if (a != null && from != null && reason.finishedByModel()) {
            // The provider said it is done; the rest of its response (the last chunk) is already on its way. Aborting now
            // would close the connection, and the next answer would pay a new TCP and TLS handshake: let it finish, and
            // abort only a provider that keeps the response open after its terminator.
            try {
                relay.router().timer().schedule(() -> a.abort(new CancellationException("open after its terminator")), FINISH_GRACE_MS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                a.abort(new CancellationException(reason.code()));
            }
        } else if (a != null) {
            a.abort(new CancellationException(reason.code()));
        }
        relay.recorder().record(answer, outcome, clock, record -> deliver(outcome, record));
    }

    /** After the answer is stored: the terminal frame (or a JSON error if the stream never began), then complete. */
    private void deliver(Outcome outcome, AnswerRecord record) {
        answer.options().onStored().run();
        if (outcome.reason() == EndReason.CLIENT_GONE) {
            browser.complete();
            return;
        }
        SseSink s;
        boolean begin = false;
        synchronized (this) {
            s = sink;
            if (s == null && outcome.reason() == EndReason.USER_STOP) {
                // Stopped before the provider answered: still a well-formed stream with its terminal event.
                s = openStream();
                begin = true;
            }
        }
        if (s == null) {
            browser.refuse(outcome, answer.ids().conversationId());
            return;
        }
        if (begin) {
            s.begin();
        }
        s.close(browser.delivery().terminal(browser.response(), outcome, record), browser::complete);
    }

    /** Commits the SSE response and stages the start frame. Caller holds the lock and calls {@code begin()} after. */
    private SseSink openStream() {
        // An ended answer stays ended (Stop before any attempt was accepted opens a stream just for its terminal event):
        // back in STREAMING, a queue hand-over would start a new upstream request and a second end() would rewrite it.
        if (phase == Phase.CONNECTING) {
            phase = Phase.STREAMING;
        }
        String provider = answeringProvider != null ? answeringProvider
                : driver.candidate().map(c -> c.provider().name()).orElse(null);
        sink = browser.open(browser.delivery().open(browser.response(), answer.ids().conversationId(), answer.ids().assistantMessageId(),
                answer.ids().userMessageId(), answer.model(), provider), this::resumeUpstream, this::onClientGone);
        return sink;
    }

    /** Caller holds the lock; a null frame is a step its delivery does not send. */
    private void send(byte[] frame) {
        if (frame != null) {
            sink.send(frame);
        }
    }

    private Attempt last() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    private void resumeUpstream() {
        browserStalled = false;
        Attempt a;
        synchronized (this) {
            a = current;
        }
        if (a != null) {
            a.resume();
        }
    }
}
