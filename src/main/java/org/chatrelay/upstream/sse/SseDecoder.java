package org.chatrelay.upstream.sse;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental decoder for a {@code text/event-stream} body, following the WHATWG HTML "Server-sent events" parsing
 * rules. Three stages: {@link LineSplitter} (bytes to lines), {@link FieldParser} (lines to fields) and
 * {@link EventAssembler} (fields to events). It knows nothing of {@code [DONE]}, pings or provider errors: that
 * policy lives in the dialect layer above.
 *
 * <p>Not thread-safe: one decoder per stream, fed by one thread at a time (HTTP client content callbacks are
 * serialised). Listener callbacks run inside {@code feed}.
 */
public final class SseDecoder {

    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    private static final int COPY_BYTES = 8 * 1024;

    private final LineSplitter lines;
    private final EventAssembler events;
    /** Staging for buffers without an accessible array (direct or read-only); allocated on first need. */
    private byte[] copyBuffer;

    public SseDecoder(SseListener listener) {
        this(listener, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_EVENT_BYTES);
    }

    public SseDecoder(SseListener listener, int maxLineBytes, int maxEventBytes) {
        Objects.requireNonNull(listener, "listener");
        if (maxLineBytes < 1 || maxEventBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: maxLineBytes=" + maxLineBytes
                    + ", maxEventBytes=" + maxEventBytes);
        }
        EventAssembler assembler = new EventAssembler(listener, maxEventBytes);
        this.events = assembler;
        this.lines = new LineSplitter((bytes, offset, length) -> FieldParser.parse(bytes, offset, length, assembler),
                maxLineBytes);
    }

    /** Consumes all remaining bytes of {@code chunk} (its position ends at its limit). */
    public void feed(ByteBuffer chunk) {
        if (chunk.hasArray()) {
            int offset = chunk.arrayOffset() + chunk.position();
            int length = chunk.remaining();
            chunk.position(chunk.limit());
            lines.feed(chunk.array(), offset, length);
            return;
        }
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BYTES];
        }
        while (chunk.hasRemaining()) {
            int length = Math.min(chunk.remaining(), copyBuffer.length);
            chunk.get(copyBuffer, 0, length);
            lines.feed(copyBuffer, 0, length);
        }
    }

    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        lines.feed(bytes, offset, length);
    }

    /** End of stream: a partial line and undispatched fields are discarded; the last event needs its blank line. */
    public void end() {
        lines.end();
        events.end();
    }

    /** Back to a fresh stream: BOM check again, buffers cleared, last-event-id and retry forgotten. */
    public void reset() {
        lines.reset();
        events.reset();
    }

    public String lastEventId() {
        return events.lastEventId();
    }

    /** The last accepted {@code retry} value, or -1 if none was seen. */
    public long retryMillis() {
        return events.retryMillis();
    }
}
