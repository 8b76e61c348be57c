package org.chatrelay.relay;

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
    private static final byte[] ID_HEAD = "id: ".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /** One token frame. {@code sentAtMillis} lets the reader spot a buffering proxy. */
    static byte[] token(String text, long sentAtMillis) {
        return token(new FrameBuffer(64 + text.length()), text, 0, text.length(), sentAtMillis).toByteArray();
    }

    /** A piece of the model's reasoning: {@code event: reasoning} {@code data: {"text":"…"}}, as many as the provider streams. */
    static byte[] reasoning(String text) {
        return reasoning(new FrameBuffer(64 + text.length()), text, 0, text.length()).toByteArray();
    }

    /** The hot path, a viewer's: {@code text[from, to)} as a token frame appended to {@code into}, built without a JSON tree or a copy. */
    static FrameBuffer token(FrameBuffer into, CharSequence text, int from, int to, long sentAtMillis) {
        return into.put(TOKEN_HEAD).putJsonString(text, from, to).put(TOKEN_TIME).putDecimal(sentAtMillis).put(TOKEN_TAIL);
    }

    static FrameBuffer reasoning(FrameBuffer into, CharSequence text, int from, int to) {
        return into.put(REASONING_HEAD).putJsonString(text, from, to).put(REASONING_TAIL);
    }

    /** An event's {@code id} line (SSE fields of one event may come in any order, so it goes first). */
    static FrameBuffer id(FrameBuffer into, EventId id) {
        return into.put(ID_HEAD).putDecimal(id.reasoning()).put('.').putDecimal(id.text()).put('\n');
    }

    static byte[] event(ObjectMapper json, String name, ObjectNode data) {
        return ("event: " + name + "\ndata: " + data.toString() + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
