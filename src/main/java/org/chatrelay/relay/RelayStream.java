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
import org.chatrelay.config.Timeouts;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.Checkpoint;
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
 * ones an {@code error} event. What the events that end an attempt mean is {@link UpstreamEvents}' job.
 *
 * <p>A new question's or a gateway call's rows may still be being stored when its provider answers
 * ({@link RelayService#startQuestion}, {@link RelayService#startCall}): the answer then streams into its feed or sink,
 * but what opens the browser's stream, and the recording of its end, wait for {@link #stored}; if the insert failed,
 * the answer is refused with 503 and nothing of it is recorded.
 *
 * <p>Locking: this object's lock guards the fields below that are neither final nor volatile, and makes sending a frame
 * and ending the answer one step each, so no token can overtake the terminal frame. Lock order: this object, then its
 * driver, its {@link SseSink} or its {@link FeedViewer}s (then their {@link AnswerFeed}), an {@link Attempt} or a
 * gate's own lock, each of which guards only its own fields; nothing done under this lock calls into another answer
 * (a gate hands freed places over on its timer). A viewer that fails under this lock calls back into it (the same
 * thread: {@link #deserted}), as a failed {@link SseSink} write always did.
 *
 * <p>Why this file is over 250 lines: it is the answer's state machine. Every transition (adopt, output, open, end,
 * deliver, tick, and a chat answer's detach and grace) reads and writes the phase, the current attempt and the sink or
 * the POST's viewer under this one lock; split across
 * classes, that lock rule would span files again. The jobs that need none of that state are elsewhere: what an
 * attempt's ending means ({@link UpstreamEvents}), retries ({@link AttemptDriver}), the browser's writer
 * ({@link SseSink}), a chat answer's text and its viewers ({@link AnswerFeed}, {@link FeedViewer}), the endings' table
 * ({@link StreamEnding}), the numbers ({@link UsageAccounting}).
 */
final class RelayStream implements AsyncListener {
    private enum Phase { CONNECTING, STREAMING, ENDED }

    /** What a piece of model output is: answer text, reasoning, or a tool call passed on (no text of its own). */
    enum Output { TEXT, REASONING, TOOL_CALL }

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
    private final UpstreamEvents events;
    private final List<Attempt> attempts = new ArrayList<>();
    /** The answer's text and reasoning so far, and, for a resumable answer, what its viewers read. */
    private final AnswerFeed feed;
    /** A chat answer: viewers read {@link #feed}; the others are delivered frame by frame through {@link #sink}. */
    private final boolean resumable;
    private Phase phase = Phase.CONNECTING;
    private SseSink sink;
    /** The chat POST's viewer, once its stream opened. */
    private FeedViewer post;
    /** Since when a resumable answer has had no viewer (System.nanoTime()); only while {@link #detached}. */
    private long detachedSince;
    private boolean detached;
    /**
     * When a viewer on another node last stamped the answer (System.nanoTime(), from the database's age of the stamp),
     * as the checkpoint thread last read it ({@link #viewedElsewhere}); {@link #viewedKnown} false until a stamp was seen.
     */
    private long viewedElsewhereAt;
    private boolean viewedKnown;
    private Attempt current;
    private String answeringProvider;
    /** The last look at the browser's queue found it full: upstream reads are paused because the browser is not reading. */
    private volatile boolean browserStalled;
    /** The answer's rows exist: until then the browser's stream is not begun and its end not recorded. */
    private boolean rowsStored;
    /** What {@link #openStream} returned before the rows were stored: the browser's stream, begun by {@link #stored}. */
    private Runnable beginWhenStored;
    /** The recording of an end that came before the rows were stored, run by {@link #stored}. */
    private Runnable recordWhenStored;
    /** That end's outcome: logged and counted by {@link #stored} if the rows never are. */
    private Outcome endedBeforeStored;

    RelayStream(RelayService relay, AnswerRequest answer, AsyncContext async, Delivery delivery, long startNanos, AttemptPlan plan) {
        this.relay = relay;
        this.answer = answer;
        this.browser = new BrowserResponse(async, delivery);
        this.clock = new AnswerClock(startNanos);
        this.driver = new AttemptDriver(relay, this, plan);
        this.events = new UpstreamEvents(this, driver, relay.log());
        this.resumable = delivery.resumable();
        this.feed = new AnswerFeed(this::deserted, this::caughtUp);
    }

    boolean resumable() {
        return resumable;
    }

    AnswerFeed feed() {
        return feed;
    }

    /**
     * A resume on this node joins the answer (docs/api.md, "Resuming an answer"). It does not clear {@link #detached}
     * itself: the viewer joins the feed only inside {@code begin}, and the last other viewer may leave before that, so
     * whether the answer is watched is the feed's count of viewers when the grace is judged ({@link #tick}).
     */
    void attach(FeedViewer viewer) {
        viewer.begin();
    }

    /** The text to checkpoint, when a chat answer's text grew since the last checkpoint written. */
    Optional<Checkpoints.Due> checkpointDue() {
        synchronized (this) {
            if (!rowsStored) {
                return Optional.empty();
            }
        }
        Checkpoint c = resumable ? feed.checkpointDue(answer.ids().assistantMessageId()) : null;
        return c == null ? Optional.empty() : Optional.of(new Checkpoints.Due(c, () -> feed.checkpointed(c)));
    }

    UpstreamEvents events() {
        return events;
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
            a.close("failed", f.status() > 0 ? Integer.valueOf(f.status()) : a.acceptedStatus(), Rejection.attemptCode(f));
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
        Runnable opened = null;
        synchronized (this) {
            if (a != current || phase == Phase.ENDED) {
                return;
            }
            a.accepted(status);
            browser.delivery().from(a.candidate.target().dialect());
            if (phase == Phase.CONNECTING) {
                answeringProvider = a.candidate.provider().name();
                opened = untilStored(openStream());
            }
        }
        if (opened != null) {
            opened.run();
        }
    }

    /** What begins the browser's stream, or null when it must wait for the rows ({@link #stored} runs it). Caller holds the lock. */
    private Runnable untilStored(Runnable begin) {
        if (rowsStored) {
            return begin;
        }
        beginWhenStored = begin;
        return null;
    }

    /**
     * The answer's rows were stored ({@code failure} null) or could not be: begins the browser's stream and records an
     * end that were waiting; or refuses the answer with 503, aborts its provider request (its gate place goes back with
     * the exchange) and records nothing: its rows were never written, and a usage row cannot be finished without them.
     */
    void stored(Throwable failure) {
        Runnable begin;
        Runnable record;
        Attempt a = null;
        Outcome ended;
        synchronized (this) {
            rowsStored = failure == null;
            ended = endedBeforeStored;
            endedBeforeStored = null;
            begin = beginWhenStored;
            record = recordWhenStored;
            beginWhenStored = null;
            recordWhenStored = null;
            if (failure != null) {
                phase = Phase.ENDED;
                a = current;
                current = null;
                detached = false;
            }
        }
        if (failure == null) {
            try {
                if (begin != null) {
                    begin.run();
                }
            } finally {
                // The end may be the browser's leaving, whose request the container already completed: whatever the
                // stream's beginning did, the answer's end is recorded (its usage row must not stay 'streaming').
                if (record != null) {
                    record.run();
                }
            }
            return;
        }
        relay.log().storeFailed(answer, failure);
        relay.registry().remove(this);
        // Nothing of the answer will be recorded: what waits for its recording (a gateway key's claim on its budget, a
        // visitor's stream slot) goes back now.
        answer.options().onStored().run();
        driver.cancelWait();
        if (a != null) {
            a.close("cancelled", a.acceptedStatus(), StreamEnding.STORAGE_UNAVAILABLE.ending().code());
            a.abort(new CancellationException(StreamEnding.STORAGE_UNAVAILABLE.ending().code()));
        }
        if (ended == null) {
            List<AttemptRow> rows;
            synchronized (this) {
                rows = attempts.stream().map(Attempt::row).toList();
            }
            ended = Outcome.of(StreamEnding.STORAGE_UNAVAILABLE.ending(), feed.text(), a != null ? a : last(), clock, false, rows)
                    .withReasoning(feed.reasoning(), clock);
        }
        // Not stored, but possibly billed (the provider may even have finished): logged and counted all the same.
        relay.recorder().unstored(answer, ended, clock);
        browser.refuseBeforeStream(Outcome.of(StreamEnding.STORAGE_UNAVAILABLE.ending(), "", a, clock, false, List.of()));
    }

    /** {@code a} is the attempt whose events count, and the answer has not ended. */
    synchronized boolean isCurrent(Attempt a) {
        return a == current && phase != Phase.ENDED;
    }

    boolean browserStalled() {
        return browserStalled;
    }

    boolean toolCallsPassed() {
        return browser.delivery().toolCallsPassed();
    }

    boolean readyForMore() {
        SseSink s;
        boolean ended;
        synchronized (this) {
            ended = phase == Phase.ENDED;
            s = sink;
        }
        if (!resumable && s != null) {
            // Asked once after each upstream read is decoded: what that read staged goes out now, in one write and flush,
            // also when the read ended the answer (its last pieces must not wait for the terminal frame's recording).
            s.flushStaged();
        }
        if (ended) {
            // What an ended answer's provider still sends (the end of its response after the terminator) is read and
            // dropped: that completes the request, which frees the provider's place and keeps the connection. A
            // parked read would hold both until FINISH_GRACE_MS aborts it, for the sink refuses once it is closed.
            return true;
        }
        // A chat answer is paced by its fastest viewer (AnswerFeed.keepingUp says why); other deliveries by their one client.
        boolean room = resumable ? feed.keepingUp(SseSink.HIGH_WATER) : s == null || s.hasRoom();
        browserStalled = !room;
        return room;
    }

    /**
     * Model output of the current attempt. Reasoning is model output like text: it starts the answer (no retry after
     * it) and meets the first-token timer.
     */
    void onOutput(Attempt a, Output kind, String piece) {
        boolean first;
        synchronized (this) {
            if (a != current || phase != Phase.STREAMING) {
                return;
            }
            first = a.startContent();
            if (kind == Output.REASONING) {
                clock.onReasoning(System.nanoTime());
            } else {
                clock.onToken(System.nanoTime());
            }
            release(a);
            // Sent under this lock so no token can overtake the terminal frame.
            switch (kind) {
                case TEXT -> {
                    feed.appendText(piece);
                    if (!resumable) {
                        stage(browser.delivery().text(piece));
                    }
                }
                case REASONING -> {
                    feed.appendReasoning(piece);
                    if (!resumable) {
                        stage(browser.delivery().reasoning(piece));
                    }
                }
                case TOOL_CALL -> {
                }
            }
        }
        if (first) {
            a.countHealth(true, relay.log());
        }
    }

    /** A pass-through call's provider event, as it came; held back until the attempt's first content. */
    void onRaw(Attempt a, SseEvent event) {
        synchronized (this) {
            if (a != current || phase != Phase.STREAMING) {
                return;
            }
            byte[] frame = browser.delivery().raw(event);
            if (frame != null && !a.holdUntilContent(frame)) {
                sink.stage(frame);
            }
        }
    }

    /** The attempt has begun its answer: what it held back goes to the client first. Caller holds the lock. */
    private void release(Attempt a) {
        if (sink != null) {
            // Within an upstream read (its readyForMore flushes them) or before the terminal frame (whose close does).
            a.takeHeld().forEach(sink::stage);
        }
    }

    // ---- browser side and timers ----

    /** The user pressed Stop. */
    void stopByUser() {
        end(null, StreamEnding.USER_STOP.ending());
    }

    /** The node is stopping and the grace period is over. */
    void interruptForShutdown() {
        end(null, StreamEnding.SHUTTING_DOWN.ending());
    }

    private void onClientGone(Throwable cause) {
        end(null, StreamEnding.CLIENT_GONE.ending());
    }

    /**
     * The last viewer of a chat answer left before its end. With a grace period the answer goes on for a viewer to
     * come back (the tick ends it when nobody did); without, it ends now, as an answer did before resumes.
     */
    private void deserted() {
        if (relay.config().detachedGrace().isZero()) {
            onClientGone(null);
            return;
        }
        synchronized (this) {
            if (phase != Phase.ENDED) {
                // Each desertion starts a full grace: a resume may have come and gone since the last one.
                detached = true;
                detachedSince = System.nanoTime();
            }
        }
    }

    /** A viewer wrote everything there is: upstream reads paused for slow viewers may go on. */
    private void caughtUp() {
        if (browserStalled) {
            resumeUpstream();
        }
    }

    /** Gives up after the driver's last attempt failed. */
    void fail(UpstreamFailure f) {
        end(null, Rejection.of(f).ending(f.retryAfter()));
    }

    /**
     * Called every second by the registry: heartbeats, and the timers no HTTP timeout covers — the total, the
     * connect and first-token timeouts of the current attempt (from its own start, so a retry gets its full time).
     */
    void tick(long now, Duration heartbeat) {
        Attempt a;
        Timeouts t;
        Runnable opened = null;
        boolean viewersBeat = false;
        boolean graceOver;
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            if (detached && feed.viewers() > 0) {
                // A resume joined the feed since the answer was deserted.
                detached = false;
            }
            long grace = relay.config().detachedGrace().toNanos();
            graceOver = detached && now - detachedSince >= grace;
            if (graceOver && viewedKnown && now - viewedElsewhereAt < grace) {
                // Watched on another node meanwhile (its resume polls stamp the row): the grace starts again. The stamp
                // was read off this thread ({@link #viewedElsewhere}): a database read here would hold every answer's timers.
                detachedSince = now;
                graceOver = false;
            }
            if (phase == Phase.CONNECTING && now - clock.startNanos() >= OPEN_WHILE_CONNECTING.toNanos()
                    && !driver.queueAnswerDue(now, QUEUE_ANSWER_AWAITED)) {
                opened = untilStored(openStream());
            } else if (phase == Phase.STREAMING && resumable) {
                viewersBeat = true;
            } else if (phase == Phase.STREAMING && (feed.textEmpty() || sink.nanosSinceLastWrite(now) >= heartbeat.toNanos())) {
                // Before the first token a heartbeat every tick: Jetty reports a closed browser connection only on a
                // write, and a browser that left while the answer connects must cancel its retries at once.
                send(browser.delivery().heartbeat());
            }
            a = current;
            t = timeouts();
        }
        if (opened != null) {
            opened.run();
        }
        if (viewersBeat) {
            // Before anything was produced a heartbeat every tick, as above, but only with no grace: with one, a browser
            // that left need not be noticed at once (the answer waits for a resume anyway).
            boolean notice = feed.empty() && relay.config().detachedGrace().isZero();
            feed.heartbeat(now, notice ? Duration.ZERO : heartbeat);
        }
        if (graceOver) {
            end(null, StreamEnding.CLIENT_GONE.ending());
        } else if (now - clock.startNanos() >= t.total().toNanos()) {
            end(null, StreamEnding.ANSWER_TOO_LONG.ending());
        } else if (a != null && a.firstTokenOverdue(now, t)) {
            events.fault(a, StreamEnding.FIRST_TOKEN_TIMEOUT);
        }
    }

    /** Whether the answer waits for a viewer to come back: the checkpoint thread reads its stamp then. */
    synchronized boolean detached() {
        return detached;
    }

    /** A viewer on another node stamped the answer {@code ago} before {@code readNanos} (by the database's clock). */
    synchronized void viewedElsewhere(Duration ago, long readNanos) {
        viewedElsewhereAt = readNanos - ago.toNanos();
        viewedKnown = true;
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
        end(null, StreamEnding.ANSWER_TOO_LONG.ending());
        browser.complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        if (!resumable) {
            onClientGone(event.getThrowable());
        } else if (feed.viewers() == 0) {
            // Before its stream opened a chat POST has no viewer to notice its browser left: it is detached now.
            deserted();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    // ---- ending ----

    /** Ends the answer once; {@code from} non-null means "only if that attempt is still the current one". */
    void end(Attempt from, Ending ending) {
        EndReason reason = ending.reason();
        Outcome outcome;
        Attempt a;
        Runnable record;
        boolean deferred;
        synchronized (this) {
            if (phase == Phase.ENDED || from != null && from != current) {
                return;
            }
            boolean open = phase == Phase.STREAMING;
            phase = Phase.ENDED;
            a = current;
            current = null;
            if (a != null) {
                boolean answered = a.hasContent() || reason.finishedByModel();
                if (answered) {
                    // An empty answer still opens with what its provider sent (a message_start without text).
                    release(a);
                }
                boolean cancelled = reason.cancelled();
                a.close(answered ? "answered" : cancelled ? "cancelled" : "failed", a.acceptedStatus(), ending.code());
            }
            detached = false;
            outcome = Outcome.of(ending, feed.text(), a != null ? a : last(), clock, open,
                    attempts.stream().map(Attempt::row).toList()).withReasoning(feed.reasoning(), clock);
            Outcome ended = outcome;
            record = () -> relay.recorder().record(answer, ended, clock, r -> deliver(ended, r));
            // An end before the rows exist (Stop, a fast error, a browser gone, a provider faster than the insert) is
            // recorded once they are; if they never are, stored() counts it unstored. Decided under the same lock as
            // the phase, so stored() sees either a live answer or this end, never an ended answer without it.
            deferred = !rowsStored;
            if (deferred) {
                recordWhenStored = record;
                endedBeforeStored = outcome;
            }
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
        if (!deferred) {
            record.run();
        }
    }

    /** After the answer is stored: the terminal frame (or a JSON error if the stream never began), then complete. */
    private void deliver(Outcome outcome, AnswerRecord record) {
        answer.options().onStored().run();
        if (resumable) {
            deliverToViewers(outcome, record);
            return;
        }
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
                openStream();
                s = sink;
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

    /**
     * A chat answer's end: every viewer gets the rest and the terminal event from the feed, and completes its request.
     * The POST gets a JSON error instead when its stream never began, and is completed now when its browser left.
     */
    private void deliverToViewers(Outcome outcome, AnswerRecord record) {
        Runnable begin = null;
        FeedViewer p;
        synchronized (this) {
            if (post == null && outcome.reason() == EndReason.USER_STOP) {
                // Stopped before the provider answered: still a well-formed stream with its terminal event.
                begin = openStream();
            }
            p = post;
        }
        if (begin != null) {
            begin.run();
        }
        feed.end(browser.delivery().terminal(browser.response(), outcome, record));
        if (outcome.reason() == EndReason.CLIENT_GONE) {
            browser.complete();
        } else if (p == null) {
            browser.refuse(outcome, answer.ids().conversationId());
        } else {
            p.answerEnded();
        }
    }

    /** Commits the SSE response and stages the start frame. Caller holds the lock and runs what it returns after. */
    private Runnable openStream() {
        // An ended answer stays ended (Stop before any attempt was accepted opens a stream just for its terminal event):
        // back in STREAMING, a queue hand-over would start a new upstream request and a second end() would rewrite it.
        if (phase == Phase.CONNECTING) {
            phase = Phase.STREAMING;
        }
        String provider = answeringProvider != null ? answeringProvider
                : driver.candidate().map(c -> c.provider().name()).orElse(null);
        byte[] start = browser.delivery().open(browser.response(), answer.ids().conversationId(), answer.ids().assistantMessageId(),
                answer.ids().userMessageId(), answer.model(), provider);
        if (resumable) {
            post = browser.view(feed, start);
            return post::begin;
        }
        sink = browser.open(start, this::resumeUpstream, this::onClientGone);
        return sink::begin;
    }

    /** Caller holds the lock; a null frame is a step its delivery does not send. */
    private void send(byte[] frame) {
        if (frame != null) {
            sink.send(frame);
        }
    }

    /** As {@link #send}, for a frame of the upstream read in progress: written when the read is done ({@link #readyForMore}). */
    private void stage(byte[] frame) {
        if (frame != null) {
            sink.stage(frame);
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
