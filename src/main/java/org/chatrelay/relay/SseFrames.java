package org.chatrelay.relay;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The bytes the browser receives. Each frame is one named event whose data is one line of JSON, so the JSON
 * never needs splitting over several {@code data:} lines (JSON escapes CR and LF inside strings).
 * <pre>
 * event: token
 * data: {"text":"Hel","t":1732190000123}
 *
 * </pre>
 */
final class SseFrames {
    /** A comment line: ignored by SSE parsers, keeps proxies from timing out, and probes for a vanished client. */
    static final byte[] HEARTBEAT = ": hb\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_HEAD = "event: token\ndata: {\"text\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_TIME = "\",\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_TAIL = "}\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] REASONING_HEAD = "event: reasoning\ndata: {\"text\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_TAIL = "\"}\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /** The hot path: one frame per token, built without a JSON tree. {@code sentAtMillis} lets the reader spot a buffering proxy. */
    static byte[] token(String text, long sentAtMillis) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] time = Long.toString(sentAtMillis).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[TOKEN_HEAD.length + quoted.length + TOKEN_TIME.length + time.length + TOKEN_TAIL.length];
        int at = 0;
        at = put(frame, at, TOKEN_HEAD);
        at = put(frame, at, quoted);
        at = put(frame, at, TOKEN_TIME);
        at = put(frame, at, time);
        put(frame, at, TOKEN_TAIL);
        return frame;
    }

    /** A piece of the model's reasoning: {@code event: reasoning} {@code data: {"text":"…"}}, as many as the provider streams. */
    static byte[] reasoning(String text) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] frame = new byte[REASONING_HEAD.length + quoted.length + REASONING_TAIL.length];
        put(frame, put(frame, put(frame, 0, REASONING_HEAD), quoted), REASONING_TAIL);
        return frame;
    }

    static byte[] event(ObjectMapper json, String name, ObjectNode data) {
        return ("event: " + name + "\ndata: " + data.toString() + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static int put(byte[] into, int at, byte[] part) {
        System.arraycopy(part, 0, into, at, part.length);
        return at + part.length;
    }
}
