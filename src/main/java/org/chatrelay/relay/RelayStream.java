package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.chatrelay.upstream.ExchangeListener;
import org.chatrelay.upstream.StreamHandler;
import org.chatrelay.upstream.UpstreamExchange;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.web.JsonErrors;

/**
 * One answer in flight: upstream events in, browser frames out. It ends exactly once, through
 * {@link #end}, whatever ends it first — the provider, the browser, the user's Stop, a timer.
 *
 * <p>Lock order: this object, then its {@link SseSink}; the sink never calls back while holding its own lock.
 */
final class RelayStream implements StreamHandler, ExchangeListener, AsyncListener {
    private enum Phase { CONNECTING, STREAMING, ENDED }

    private final RelayService relay;
    private final Turn turn;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final TurnClock clock;
    private final StringBuilder text = new StringBuilder();
    private Phase phase = Phase.CONNECTING;
    private SseSink sink;
    private volatile UpstreamExchange exchange;
    private volatile boolean abortWanted;
    private String finishReason;
    private String modelReported;
    private Integer promptTokens;
    private Integer completionTokens;

    RelayStream(RelayService relay, Turn turn, AsyncContext async, long startNanos) {
        this.relay = relay;
        this.turn = turn;
        this.async = async;
        this.response = (HttpServletResponse) async.getResponse();
        this.clock = new TurnClock(startNanos);
    }

    Turn turn() {
        return turn;
    }

    void start() {
        UpstreamExchange ex = relay.upstream().streamOpenAi(turn.target(), turn.prompt(), relay.config().idleTimeout(), this, this);
        exchange = ex;
        // The turn may have ended (Stop, timeout) before the exchange existed: abort it now.
        if (abortWanted) {
            ex.abort(new CancellationException("turn ended"));
        }
    }

    // ---- upstream lifecycle ----

    @Override
    public void onAccepted(int status) {
        SseSink opened;
        synchronized (this) {
            if (phase != Phase.CONNECTING) {
                return;
            }
            opened = openStream();
        }
        opened.begin();
    }

    @Override
    public void onRejected(UpstreamFailure failure) {
        relay.log().upstreamRejected(turn, failure);
        Rejection r = Rejection.of(failure);
        end(r.reason(), r.code(), r.message(), r.httpStatus(), failure.retryAfter(), false);
    }

    @Override
    public void onEnded(Throwable failure) {
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
        }
        if (failure == null && finishReason != null) {
            // Case 27: finish_reason arrived but the stream closed without [DONE]: complete, flagged.
            endCompleted("no_done");
        } else if (failure instanceof TimeoutException || failure != null && failure.getCause() instanceof TimeoutException) {
            end(EndReason.TIMEOUT, "upstream_idle_timeout", "The AI provider stopped sending for too long; the answer is incomplete.", 504, Optional.empty(), false);
        } else {
            end(EndReason.UPSTREAM_CUT, "upstream_cut", "The AI provider's stream ended early; the answer is incomplete.", 502, Optional.empty(), false);
        }
    }

    @Override
    public boolean readyForMore() {
        SseSink s;
        synchronized (this) {
            s = sink;
        }
        return s == null || s.hasRoom();
    }

    // ---- dialect events (upstream thread, one at a time) ----

    @Override
    public void onText(String piece) {
        synchronized (this) {
            if (phase != Phase.STREAMING) {
                return;
            }
            clock.onToken(System.nanoTime());
            text.append(piece);
            // Sent under this lock so no token can overtake the terminal frame.
            sink.send(SseFrames.token(piece, System.currentTimeMillis()));
        }
    }

    @Override
    public synchronized void onFinish(String reason) {
        finishReason = reason;
    }

    @Override
    public synchronized void onUsage(Integer prompt, Integer completion) {
        if (prompt != null) {
            promptTokens = prompt;
        }
        if (completion != null) {
            completionTokens = completion;
        }
    }

    @Override
    public synchronized void onModel(String model) {
        modelReported = model;
    }

    @Override
    public void onProviderError(String code, String message) {
        relay.log().providerError(turn, code);
        end(EndReason.UPSTREAM_ERROR, "upstream_" + safeCode(code), "The AI provider reported an error: " + message, 502, Optional.empty(), true);
    }

    @Override
    public void onToolCall() {
        end(EndReason.UPSTREAM_ERROR, "unsupported_tool_call", "The model asked to call a tool, which this chat does not support.", 502, Optional.empty(), true);
    }

    @Override
    public void onTerminator() {
        endCompleted(null);
    }

    @Override
    public void onProtocolError(String message) {
        relay.log().protocolError(turn, message);
        end(EndReason.UPSTREAM_ERROR, "upstream_protocol", "The AI provider sent a malformed stream.", 502, Optional.empty(), true);
    }

    // ---- browser side ----

    /** The user pressed Stop. */
    void stopByUser() {
        end(EndReason.USER_STOP, null, "Stopped.", 200, Optional.empty(), true);
    }

    /** The node is stopping and the grace period is over. */
    void interruptForShutdown() {
        end(EndReason.INTERRUPTED, "shutting_down", "This server is restarting; the answer is incomplete. Please send it again.",
                503, Optional.empty(), true);
    }

    private void onClientGone(Throwable cause) {
        end(EndReason.CLIENT_GONE, "client_gone", "The browser went away.", 499, Optional.empty(), true);
    }

    /** Called every second by the registry: heartbeats and the timers that Jetty's idle timeout does not cover. */
    void tick(long now, Duration heartbeat, Duration firstToken, Duration maxTurn) {
        boolean noToken;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            noToken = !clock.anyToken();
            if (phase == Phase.STREAMING && sink.nanosSinceLastWrite(now) >= heartbeat.toNanos()) {
                sink.send(SseFrames.HEARTBEAT);
            }
        }
        long age = now - clock.startNanos();
        if (age >= maxTurn.toNanos()) {
            end(EndReason.TIMEOUT, "max_turn_exceeded", "The answer took longer than the allowed maximum.", 504, Optional.empty(), true);
        } else if (noToken && age >= firstToken.toNanos()) {
            end(EndReason.TIMEOUT, "first_token_timeout", "The AI provider did not start answering in time.", 504, Optional.empty(), true);
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // Safety net only: the tick enforces the turn limit first. The container needs complete() now.
        end(EndReason.TIMEOUT, "max_turn_exceeded", "The answer took longer than the allowed maximum.", 504, Optional.empty(), true);
        completeQuietly();
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

    private void endCompleted(String flag) {
        String finish;
        synchronized (this) {
            finish = finishReason;
        }
        EndReason reason = "length".equals(finish) || "max_tokens".equals(finish) ? EndReason.LENGTH : EndReason.COMPLETED;
        end(reason, null, null, 200, Optional.empty(), true, flag);
    }

    private void end(EndReason reason, String code, String message, int status, Optional<Duration> retryAfter, boolean abortUpstream) {
        end(reason, code, message, status, retryAfter, abortUpstream, null);
    }

    private void end(EndReason reason, String code, String message, int status, Optional<Duration> retryAfter,
                     boolean abortUpstream, String flag) {
        Outcome outcome;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            boolean open = phase == Phase.STREAMING;
            phase = Phase.ENDED;
            outcome = new Outcome(reason, code, message, status, retryAfter, text.toString(), finishReason, modelReported,
                    promptTokens, completionTokens, clock.ttftMs(), clock.totalMs(System.nanoTime()), clock.maxGapMs(), open, flag);
        }
        relay.registry().remove(this);
        if (abortUpstream) {
            abortWanted = true;
            UpstreamExchange ex = exchange;
            if (ex != null) {
                ex.abort(new CancellationException(reason.code()));
            }
        }
        relay.recorder().record(turn, outcome, clock, record -> deliver(outcome, record));
    }

    /** After the answer is stored: the terminal frame (or a JSON error if the stream never began), then complete. */
    private void deliver(Outcome outcome, AnswerRecord record) {
        if (outcome.reason() == EndReason.CLIENT_GONE) {
            completeQuietly();
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
            JsonErrors.write(response, outcome.httpStatus(), outcome.errorCode(), outcome.message(),
                    outcome.retryAfter(), turn.ids().conversationId());
            completeQuietly();
            return;
        }
        if (begin) {
            s.begin();
        }
        byte[] terminal = record.terminalFrame(relay.json(), outcome);
        s.close(terminal, this::completeQuietly);
    }

    /** Commits the SSE response and stages the start frame. Caller holds the lock and calls {@code begin()} after. */
    private SseSink openStream() {
        phaseStreamingIfConnecting();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx reads this and passes each frame on unbuffered.
        response.setHeader("X-Accel-Buffering", "no");
        try {
            sink = new SseSink(response.getOutputStream(), this::resumeUpstream, this::onClientGone);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the response stream", e);
        }
        sink.send(relay.startFrame(turn));
        return sink;
    }

    private void phaseStreamingIfConnecting() {
        if (phase == Phase.CONNECTING) {
            phase = Phase.STREAMING;
        }
    }

    private void resumeUpstream() {
        UpstreamExchange ex = exchange;
        if (ex != null) {
            ex.resume();
        }
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (timeout or error dispatch): nothing left to do.
        }
    }

    private static String safeCode(String code) {
        return code.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    }
}
