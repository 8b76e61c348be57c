package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.time.Duration;

/**
 * One browser connection reading an {@link AnswerFeed} from its own position: the chat POST (after its {@code start}
 * event) or a resume. It writes only while its socket is ready and asks the feed for the next frame only then, so at
 * most one frame waits here; the answer never waits for it. Once it wrote the terminal event it completes the request;
 * a failed write or an error dispatch removes it from the feed (the feed tells its owner when nobody is left).
 *
 * <p>Follows the rule of Jetty's AsyncProxyServlet as {@link SseSink} does: nothing is written before the listener is
 * set, and {@link #onWritePossible} may run on a container thread at once. Lock: this object, then the feed's.
 */
final class FeedViewer implements WriteListener, AsyncListener {
    private final AnswerFeed feed;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private EventId at;
    /** What of the feed this viewer has taken (reasoning and text characters), for the feed's pacing without this lock. */
    private volatile int sent;
    /** What waits for the socket: a fixed frame (the first, a heartbeat) or {@link #frame}'s bytes; null when nothing. */
    private byte[] pending;
    private int pendingLength;
    /** The feed's frames for this viewer are encoded here, one at a time (its class says why it is reused). */
    private final FrameBuffer frame = new FrameBuffer(256);
    /** True at first: the flush commits the status and headers even when nothing is due yet. */
    private boolean needsFlush = true;
    private boolean last;
    private boolean listening;
    private boolean closed;
    private long lastWriteNanos = System.nanoTime();

    /** A resume's viewer. */
    static FeedViewer resume(AnswerFeed feed, AsyncContext async, EventId from) throws IOException {
        return new FeedViewer(feed, async, from, null);
    }

    /** The chat POST's viewer, after its {@code start} frame. */
    static FeedViewer post(AnswerFeed feed, AsyncContext async, byte[] start) throws IOException {
        return new FeedViewer(feed, async, EventId.START, EventId.START.on(start));
    }

    private FeedViewer(AnswerFeed feed, AsyncContext async, EventId from, byte[] first) throws IOException {
        this.feed = feed;
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.at = from;
        this.sent = from.reasoning() + from.text();
        this.pending = first;
        this.pendingLength = first == null ? 0 : first.length;
    }

    int sent() {
        return sent;
    }

    /** Joins the feed and starts writing; the response's status and headers must be set. */
    void begin() {
        try {
            async.addListener(this);
        } catch (IllegalStateException completed) {
            // The container completed the request first (its browser left before the stream began): a viewer gone.
            synchronized (this) {
                closed = true;
            }
            return;
        }
        feed.add(this);
        synchronized (this) {
            listening = true;
        }
        out.setWriteListener(this);
    }

    /** The feed has something new. */
    void wake() {
        pump();
    }

    void heartbeat(long now, Duration every) {
        synchronized (this) {
            if (closed || pending != null || now - lastWriteNanos < every.toNanos()) {
                return;
            }
            pending = SseFrames.HEARTBEAT;
            pendingLength = pending.length;
        }
        pump();
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        gone();
    }

    private void pump() {
        boolean served = false;
        boolean failed = false;
        boolean idle = false;
        synchronized (this) {
            if (!listening || closed) {
                return;
            }
            try {
                while (out.isReady()) {
                    if (pending != null) {
                        out.write(pending, 0, pendingLength);
                        pending = null;
                        needsFlush = true;
                        lastWriteNanos = System.nanoTime();
                    } else if (!last && nextFrame()) {
                        // Encoded only now that the socket took the last frame: Jetty may still hold a write of this buffer until then.
                        continue;
                    } else if (needsFlush) {
                        // Jetty aggregates small writes; each event must leave now, not when a buffer fills.
                        needsFlush = false;
                        out.flush();
                    } else {
                        served = last;
                        closed = last;
                        idle = !last;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                closed = true;
                failed = true;
            }
        }
        if (served) {
            feed.remove(this);
            complete();
        } else if (failed) {
            left();
        } else if (idle) {
            feed.caughtUp();
        }
    }

    /** Stages the feed's next frame, if any. Caller holds this lock. */
    private boolean nextFrame() {
        AnswerFeed.Frame f = feed.next(at, frame);
        if (f == null) {
            return false;
        }
        at = f.after();
        sent = at.reasoning() + at.text();
        last = f.last();
        pending = frame.array();
        pendingLength = frame.length();
        return true;
    }

    private void gone() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        left();
    }

    /**
     * The browser is gone: out of the feed, and its request completed (a detached answer holds the visitor's stream
     * slot itself, until its end is stored: RelayService.startQuestion's onEnded).
     */
    private void left() {
        feed.remove(this);
        complete();
    }

    /** The answer has ended: a POST whose browser left is completed now (one that is still reading completes itself). */
    void answerEnded() {
        synchronized (this) {
            if (!closed) {
                return;
            }
        }
        complete();
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (timeout or error dispatch).
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        gone();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        gone();
    }

    @Override
    public void onError(AsyncEvent event) {
        gone();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
