package org.chatrelay.upstream.sse;

/**
 * Stage 1: bytes to lines, per the WHATWG stream grammar {@code end-of-line = ( cr lf / cr / lf )}.
 * Splitting on bytes is safe because CR and LF never occur inside a multi-byte UTF-8 sequence, and it means a
 * code point cut by a network chunk is only decoded once its whole line is here.
 */
final class LineSplitter {

    /** Receives one line without its terminator. The array is only valid during the call. */
    interface LineSink {
        void line(byte[] bytes, int offset, int length);
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final LineSink sink;
    private final int maxLineBytes;
    private final ByteAccumulator partial;
    /** Bytes of a leading BOM matched so far; -1 once the start of the stream is decided. */
    private int bomMatched;
    /** The last line ended with CR, so an LF arriving next is the second half of a CRLF, not a line of its own. */
    private boolean skipLf;

    LineSplitter(LineSink sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
        this.partial = new ByteAccumulator(maxLineBytes);
    }

    void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        // "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any." Matched byte by byte
        // so a BOM cut by a chunk boundary is still dropped; a prefix that turns out not to be one is content.
        while (bomMatched >= 0 && i < end) {
            if (bytes[i] == BOM[bomMatched]) {
                i++;
                if (++bomMatched == BOM.length) {
                    bomMatched = -1;
                }
            } else {
                int seen = bomMatched;
                bomMatched = -1;
                appendPartial(BOM, 0, seen);
            }
        }
        if (skipLf && i < end) {
            skipLf = false;
            if (bytes[i] == LF) {
                i++;
            }
        }
        int start = i;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b != CR && b != LF) {
                continue;
            }
            emit(bytes, start, i - start);
            // A CR already ends the line whatever follows, so the line goes out now instead of waiting for the next
            // chunk; we only remember to swallow an LF that completes a CRLF (possibly at the start of that chunk).
            if (b == CR) {
                if (i + 1 == end) {
                    skipLf = true;
                } else if (bytes[i + 1] == LF) {
                    i++;
                }
            }
            start = i + 1;
        }
        appendPartial(bytes, start, end - start);
    }

    /** End of stream: "Once the end of the file is reached, any pending data must be discarded." */
    void end() {
        partial.clear();
        skipLf = false;
    }

    void reset() {
        end();
        bomMatched = 0;
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (partial.length() == 0) {
            // Whole line inside this chunk: hand it over in place, no copy.
            if (length > maxLineBytes) {
                throw SseException.lineTooLong(maxLineBytes, length);
            }
            sink.line(bytes, offset, length);
            return;
        }
        appendPartial(bytes, offset, length);
        try {
            sink.line(partial.array(), 0, partial.length());
        } finally {
            partial.clear();
        }
    }

    // The only place a line can grow, so the cap is enforced before a byte past it is ever buffered.
    private void appendPartial(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        long size = (long) partial.length() + length;
        if (size > maxLineBytes) {
            throw SseException.lineTooLong(maxLineBytes, size);
        }
        partial.append(bytes, offset, length);
    }
}
