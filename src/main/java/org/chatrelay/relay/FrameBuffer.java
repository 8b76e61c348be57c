package org.chatrelay.relay;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Arrays;

/**
 * One viewer's frame, encoded in place and reused for every frame it writes: a delta then costs no arrays (the
 * quoted text, the timestamp, the id line and the frame were four, plus the text's substring: docs/benchmarks.md,
 * "Where a delta's CPU goes"). Used under its viewer's lock, and refilled only once the socket took the last frame
 * ({@code ServletOutputStream.isReady()}), so Jetty never holds bytes that change under it.
 */
final class FrameBuffer {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Past this, a frame (a resume far behind gets the missed text as one) gives its array back at the next {@link #clear}. */
    private static final int KEPT = 16 * 1024;
    private final int capacity;
    private byte[] bytes;
    private int length;

    FrameBuffer(int capacity) {
        this.capacity = capacity;
        bytes = new byte[capacity];
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    FrameBuffer clear() {
        if (bytes.length > KEPT) {
            bytes = new byte[capacity];
        }
        length = 0;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    FrameBuffer put(byte[] part) {
        room(part.length);
        System.arraycopy(part, 0, bytes, length, part.length);
        length += part.length;
        return this;
    }

    FrameBuffer put(char ascii) {
        room(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    FrameBuffer putDecimal(long value) {
        if (value < 0) {
            put('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * {@code text[from, to)} as the inside of a JSON string in UTF-8, byte for byte what Jackson's
     * {@code JsonStringEncoder.quoteAsUTF8} writes (the frames the tests and the page compare stay as they were): {@code "}
     * and {@code \} escaped, control characters as {@code \b \t \n \f \r} or {@code \\u00XX}, the rest as UTF-8. A
     * surrogate without its partner is left to Jackson, which refuses it as before.
     */
    FrameBuffer putJsonString(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            room(6);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                bytes[length++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                bytes[length++] = (byte) (0xE0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else {
                put(JsonStringEncoder.getInstance().quoteAsUTF8(text.subSequence(i, to).toString()));
                return this;
            }
        }
        return this;
    }

    private void escape(char c) {
        bytes[length++] = '\\';
        switch (c) {
            case '"', '\\' -> bytes[length++] = (byte) c;
            case '\b' -> bytes[length++] = 'b';
            case '\t' -> bytes[length++] = 't';
            case '\n' -> bytes[length++] = 'n';
            case '\f' -> bytes[length++] = 'f';
            case '\r' -> bytes[length++] = 'r';
            default -> {
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[c >> 4];
                bytes[length++] = HEX[c & 0xF];
            }
        }
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
