package org.chatrelay.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

/**
 * Watches one stream as the load generator receives it: the time to the first delta, every gap between deltas
 * (recorded in microseconds into the target's shared histogram), whether every delta arrived in order, whether the
 * stream ended properly ({@code [DONE]} from an OpenAI stream, {@code event: done} from the relay) and any error.
 * A delta's arrival time is when the bytes that complete its line arrived, as a browser would see it.
 */
final class StreamProbe {
    private static final byte[] DONE_OPENAI = "data: [DONE]".getBytes();
    private static final byte[] DONE_RELAY = "event: done".getBytes();
    private static final byte[] ERROR_RELAY = "event: error".getBytes();

    final CompletableFuture<StreamProbe> done = new CompletableFuture<>();
    private final Shape shape;
    private final Histogram gaps;
    private final long startNanos;
    private final byte[] line = new byte[256];
    private final Runnable onFirst;
    private int lineLength;
    private int status;
    private int received;
    private long firstNanos = -1;
    private long lastNanos;
    private long maxGapNanos;
    private boolean ended;
    private String error;
    private Request request;

    /** @param onFirst runs once, when the first delta arrives (or the stream fails before it) */
    StreamProbe(Shape shape, Histogram gaps, long startNanos, Runnable onFirst) {
        this.shape = shape;
        this.gaps = gaps;
        this.startNanos = startNanos;
        this.onFirst = onFirst;
    }

    void sent(Request request) {
        this.request = request;
    }

    /** Closes the stream from the client's side, as a browser tab closes (the scenario that opened it is over). */
    void abort() {
        if (request != null && !done.isDone()) {
            request.abort(new java.util.concurrent.CancellationException("the scenario closed it"));
        }
    }

    void onHeaders(Response response) {
        status = response.getStatus();
    }

    void onContent(Response response, ByteBuffer content) {
        long now = System.nanoTime();
        while (content.hasRemaining()) {
            byte b = content.get();
            if (b == '\n') {
                onLine(now);
                lineLength = 0;
            } else if (lineLength < line.length) {
                line[lineLength++] = b;
            }
        }
    }

    private void onLine(long now) {
        int marker = marker();
        if (marker > 0) {
            onDelta(marker, now);
        } else if (startsWith(DONE_OPENAI) || startsWith(DONE_RELAY)) {
            ended = true;
        } else if (startsWith(ERROR_RELAY)) {
            fail("error event");
        }
    }

    private void onDelta(int index, long now) {
        if (index != received + 1) {
            fail("delta " + index + " after " + received);
        }
        received++;
        if (firstNanos < 0) {
            firstNanos = now;
            onFirst.run();
        } else {
            long gap = now - lastNanos;
            maxGapNanos = Math.max(maxGapNanos, gap);
            gaps.recordValue(Math.max(1, gap / 1000));
        }
        lastNanos = now;
    }

    /** The delta index after '#', or 0 when the line carries none. */
    private int marker() {
        for (int i = 0; i + Shape.MARKER_DIGITS < lineLength; i++) {
            if (line[i] == '#') {
                int v = 0;
                for (int k = 1; k <= Shape.MARKER_DIGITS; k++) {
                    byte d = line[i + k];
                    if (d < '0' || d > '9') {
                        return 0;
                    }
                    v = v * 10 + d - '0';
                }
                return v;
            }
        }
        return 0;
    }

    private boolean startsWith(byte[] prefix) {
        if (lineLength < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private void fail(String why) {
        if (error == null) {
            error = why;
        }
    }

    void onComplete(Result result) {
        if (result.isFailed()) {
            fail(String.valueOf(result.getFailure()));
        } else if (status != 200) {
            fail("HTTP " + status);
        }
        if (firstNanos < 0) {
            onFirst.run();
        }
        done.complete(this);
    }

    /** Whole and in order: every delta, the end of the stream, status 200, no error. */
    boolean complete() {
        return error == null && ended && received == shape.deltas();
    }

    /** Complete, and no delta later than twice the pace after the one before it. */
    boolean clean() {
        return complete() && maxGapNanos <= 2_000_000L * shape.paceMs();
    }

    /** Request sent to first delta read, in nanoseconds; -1 without one. */
    long ttftNanos() {
        return firstNanos < 0 ? -1 : firstNanos - startNanos;
    }

    long maxGapNanos() {
        return maxGapNanos;
    }

    String error() {
        return error != null ? error : complete() ? null : "incomplete: " + received + "/" + shape.deltas() + (ended ? "" : ", no end");
    }
}
