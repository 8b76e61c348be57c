package org.chatrelay.relay;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Non-blocking writer of SSE frames to the browser. Frames queue here while the socket is not ready;
 * {@link #hasRoom()} tells the upstream side to stop reading once {@link #HIGH_WATER} bytes wait, which
 * bounds the memory a slow browser can cost. No thread ever blocks on the browser.
 *
 * <p>Follows the rule of Jetty's AsyncProxyServlet: the first frame is staged <em>before</em> the
 * WriteListener is set, because the container may call {@link #onWritePossible()} at once on another thread.
 *
 * <p>Two states, both guarded by this object's lock: the sink's {@link State} (open, closing, closed, failed) and its
 * {@link Wire} (whether the listener is set yet, and whether a flush is owed). They are apart because they change
 * apart: the answer may end, and close this sink, before {@link #begin()} set the listener.
 *
 * <p>Why this file is over 250 lines: every path into the socket (stage, flush of one read's frames, close with the
 * terminal frame, the container's onWritePossible and onError) reads and changes those two states under this one lock;
 * split, the rule that a frame is never written twice nor after the terminal frame would span files.
 */
final class SseSink implements WriteListener {
    static final int HIGH_WATER = 64 * 1024;
    private static final int COALESCE = 16 * 1024;

    private final ServletOutputStream out;
    private final Runnable onDrained;
    private final Consumer<Throwable> onFailure;
    /** What the sink takes and whether its end has come. */
    enum State {
        /** Frames are taken and written as the socket takes them. */
        OPEN,
        /** The last frame is queued; nothing more is taken, and {@code whenEmpty} runs once it is written and flushed. */
        CLOSING,
        /** Everything was written and flushed after {@link #close}: nothing more may be written. */
        CLOSED,
        /** The browser is gone: a write failed or the container reported an error. */
        FAILED
    }

    /** The output side: nothing is written before the listener is set; a written frame owes a flush. */
    enum Wire {
        NO_LISTENER,
        FLUSHED,
        /** Jetty aggregates small writes; each frame must leave now, not when a buffer fills. */
        FLUSH_OWED
    }

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    private State state = State.OPEN;
    private Wire wire = Wire.NO_LISTENER;
    private Runnable whenEmpty;
    /** Set by pump() when the last frame left; run by the caller after releasing the lock (lock order: stream, then sink). */
    private Runnable finished;
    private long lastWriteNanos = System.nanoTime();

    SseSink(ServletOutputStream out, Runnable onDrained, Consumer<Throwable> onFailure) {
        this.out = out;
        this.onDrained = onDrained;
        this.onFailure = onFailure;
    }

    /**
     * Sets the listener and writes what is queued; call once, after the first frame was queued. The container's own
     * first {@link #onWritePossible()} comes on one of its threads, a hand-off that would delay the first frame (and
     * the first token behind it); writing now from this thread saves it, and the container's call then finds the
     * queue empty.
     */
    void begin() {
        synchronized (this) {
            wire = Wire.FLUSHED;
        }
        out.setWriteListener(this);
        onWritePossible();
    }

    /** Queues a frame; false when the browser is gone. */
    boolean send(byte[] frame) {
        Throwable failure;
        synchronized (this) {
            if (state != State.OPEN) {
                return false;
            }
            queue.addLast(frame);
            queuedBytes += frame.length;
            failure = pump();
        }
        return notifyFailure(failure) && runFinished();
    }

    /**
     * Queues a frame without writing it: the frames one upstream read produced (one network read often holds several
     * events) go out together at {@link #flushStaged}, in one write and one flush instead of one each (the kernel send
     * and Jetty's output layer are most of a delta's cost: docs/benchmarks.md). False when the browser is gone.
     */
    boolean stage(byte[] frame) {
        synchronized (this) {
            if (state != State.OPEN) {
                return false;
            }
            queue.addLast(frame);
            queuedBytes += frame.length;
        }
        return true;
    }

    /** Writes what {@link #stage} queued, as far as the socket takes it now (the rest when it is ready again). */
    void flushStaged() {
        Throwable failure;
        synchronized (this) {
            failure = pump();
        }
        notifyFailure(failure);
        runFinished();
    }

    /** Queues the last frame; {@code then} runs once everything has been written and flushed (or the browser is gone). */
    void close(byte[] lastFrame, Runnable then) {
        boolean runNow;
        Throwable failure;
        synchronized (this) {
            runNow = state != State.OPEN;
            if (!runNow) {
                queue.addLast(lastFrame);
                queuedBytes += lastFrame.length;
                whenEmpty = then;
                state = State.CLOSING;
            }
            failure = runNow ? null : pump();
        }
        notifyFailure(failure);
        runFinished();
        if (runNow) {
            then.run();
        }
    }

    synchronized boolean hasRoom() {
        return writable() && queuedBytes < HIGH_WATER;
    }

    synchronized State state() {
        return state;
    }

    /** Open or closing: frames still go out. Caller holds the lock. */
    private boolean writable() {
        return state == State.OPEN || state == State.CLOSING;
    }

    synchronized long nanosSinceLastWrite(long now) {
        return now - lastWriteNanos;
    }

    @Override
    public void onWritePossible() {
        Throwable failure;
        boolean drained;
        synchronized (this) {
            failure = pump();
            drained = writable() && queuedBytes < HIGH_WATER / 2;
        }
        if (notifyFailure(failure) && drained) {
            onDrained.run();
        }
        runFinished();
    }

    @Override
    public void onError(Throwable t) {
        Runnable then;
        synchronized (this) {
            if (!writable()) {
                return;
            }
            state = State.FAILED;
            then = whenEmpty;
            whenEmpty = null;
        }
        onFailure.accept(t);
        if (then != null) {
            then.run();
        }
    }

    /** Writes while the socket takes it. Called with the lock held; returns a failure to report outside the lock. */
    private Throwable pump() {
        if (wire == Wire.NO_LISTENER || !writable()) {
            return null;
        }
        try {
            while (out.isReady()) {
                if (!queue.isEmpty()) {
                    byte[] chunk = coalesce();
                    out.write(chunk);
                    queuedBytes -= chunk.length;
                    wire = Wire.FLUSH_OWED;
                    lastWriteNanos = System.nanoTime();
                } else if (wire == Wire.FLUSH_OWED) {
                    wire = Wire.FLUSHED;
                    out.flush();
                } else {
                    if (state == State.CLOSING) {
                        finished = whenEmpty;
                        whenEmpty = null;
                        state = State.CLOSED;
                    }
                    return null;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    /** Joins small queued frames into one write: fewer syscalls when a burst arrives. */
    private byte[] coalesce() {
        byte[] first = queue.pollFirst();
        if (queue.isEmpty() || first.length >= COALESCE) {
            return first;
        }
        int total = first.length;
        int count = 1;
        for (byte[] f : queue) {
            if (total + f.length > COALESCE) {
                break;
            }
            total += f.length;
            count++;
        }
        byte[] joined = new byte[total];
        System.arraycopy(first, 0, joined, 0, first.length);
        int at = first.length;
        for (int i = 1; i < count; i++) {
            byte[] f = queue.pollFirst();
            System.arraycopy(f, 0, joined, at, f.length);
            at += f.length;
        }
        return joined;
    }

    private boolean runFinished() {
        Runnable then;
        synchronized (this) {
            then = finished;
            finished = null;
        }
        if (then != null) {
            then.run();
        }
        return true;
    }

    private boolean notifyFailure(Throwable failure) {
        if (failure == null) {
            return true;
        }
        onError(failure);
        return false;
    }
}
