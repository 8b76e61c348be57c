package org.chatrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark upstream plays for one request: a role chunk, {@code deltas} content deltas of {@code size}
 * bytes, the first {@code firstMs} after the request and the rest every {@code paceMs}, then a usage chunk and
 * {@code [DONE]}. It travels as the user's message ("bench deltas=64 size=16 pace=20 first=0"), so the same request
 * works straight to the upstream, through nginx and through the relay, which forwards the message upstream.
 *
 * <p>Delta {@code i} (from 1) reads {@code #0001aaaa…}: the load generator finds the marker in an OpenAI chunk and in
 * the relay's {@code token} frame alike, and checks that every delta arrived, in order.
 */
record Shape(int deltas, int size, int paceMs, int firstMs, boolean markdown) {
    /** The published rig's stream: 64 deltas of 16 bytes, 50 per second. */
    static final Shape ON_THE_BENCH = new Shape(64, 16, 20, 0);
    static final int MARKER_DIGITS = 4;
    private static final Pattern MESSAGE = Pattern.compile("bench deltas=(\\d+) size=(\\d+) pace=(\\d+) first=(\\d+)( markdown)?");
    /** A markdown section (headings, emphasis, a list, code, a table, a link) repeated for a markdown answer. */
    private static final String SECTION = """
            ## Section %d: how the relay streams

            The relay reads a **provider's** stream and writes each piece to the browser as an `event: token`, *without*
            buffering, so the page can paint it at once. See [the manual](https://example.com/docs/%d).

            - first item with `inline code` and a number %d
            - second item, a little longer, so that the list wraps on a narrow window
              1. a nested step
              2. another nested step

            ```java
            for (int i = 0; i < %d; i++) {
                sink.send(frames.token(i, "piece"));
            }
            ```

            | figure | value | note |
            |---|---|---|
            | deltas | %d | per answer |
            | pace | 5 ms | 200 per second |

            """;

    Shape {
        if (deltas < 1 || deltas > 9999 || size < 1 + MARKER_DIGITS || paceMs < 0 || firstMs < 0) {
            throw new IllegalArgumentException("bad shape " + deltas + "/" + size + "/" + paceMs + "/" + firstMs);
        }
    }

    Shape(int deltas, int size, int paceMs, int firstMs) {
        this(deltas, size, paceMs, firstMs, false);
    }

    String message() {
        return "bench deltas=" + deltas + " size=" + size + " pace=" + paceMs + " first=" + firstMs + (markdown ? " markdown" : "");
    }

    /** The shape named in a request body (JSON text that contains the message); the rig's default without one. */
    static Shape in(CharSequence body) {
        Matcher m = MESSAGE.matcher(body);
        return m.find() ? new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), m.group(5) != null) : ON_THE_BENCH;
    }

    /** The whole markdown answer of a markdown shape: sections repeated up to {@code deltas × size} characters. */
    String markdownText() {
        StringBuilder b = new StringBuilder();
        for (int n = 1; b.length() < deltas * size; n++) {
            b.append(String.format(SECTION, n, n, n, n, deltas));
        }
        return b.substring(0, deltas * size);
    }

    /**
     * Delta {@code i} (1-based), as the bytes inside a JSON string: for a markdown shape, the {@code i}-th slice of
     * {@link #markdownText()} (escaped, so longer than {@code size} where it holds a newline or a quote); otherwise
     * '#', the index in four digits, then filler up to {@code size} bytes.
     */
    byte[] content(int i, String markdownText) {
        if (!markdown) {
            return content(i);
        }
        String slice = markdownText.substring((i - 1) * size, i * size);
        return slice.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Delta {@code i} (1-based): '#', the index in four digits, then filler up to {@code size} bytes; JSON-safe ASCII. */
    byte[] content(int i) {
        byte[] b = new byte[size];
        b[0] = '#';
        String digits = Integer.toString(i);
        for (int k = 0; k < MARKER_DIGITS; k++) {
            int from = k - (MARKER_DIGITS - digits.length());
            b[1 + k] = from < 0 ? (byte) '0' : (byte) digits.charAt(from);
        }
        for (int k = 1 + MARKER_DIGITS; k < size; k++) {
            b[k] = (byte) ('a' + k % 26);
        }
        return b;
    }

    /** Milliseconds a whole stream lasts at the upstream, from the request to the last delta. */
    long durationMs() {
        return firstMs + (long) (deltas - 1) * paceMs;
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
