package org.chatrelay.upstream.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One row of the conformance table: input chunks and everything the decoder must report for them. */
final class SseCase {

    static final byte[] BOM = raw(0xEF, 0xBB, 0xBF);

    final String name;
    final List<byte[]> chunks;
    List<SseEvent> events = List.of();
    List<String> comments = List.of();
    List<Long> retries = List.of();
    String lastEventId = "";
    long retryMillis = -1;

    private SseCase(String name, List<byte[]> chunks) {
        this.name = name;
        this.chunks = chunks;
    }

    /** Each argument is one network chunk: a String (sent as UTF-8), a byte[], or an Object[] of those joined. */
    static SseCase row(String name, Object... chunks) {
        List<byte[]> list = new ArrayList<>();
        for (Object chunk : chunks) {
            list.add(bytes(chunk));
        }
        return new SseCase(name, List.copyOf(list));
    }

    SseCase events(SseEvent... expected) {
        events = List.of(expected);
        return this;
    }

    SseCase comments(String... expected) {
        comments = List.of(expected);
        return this;
    }

    SseCase lastEventId(String expected) {
        lastEventId = expected;
        return this;
    }

    SseCase retry(long expected) {
        retryMillis = expected;
        retries = List.of(expected);
        return this;
    }

    byte[] input() {
        return bytes(chunks.toArray());
    }

    static SseEvent message(String data) {
        return new SseEvent("message", data, "");
    }

    static SseEvent event(String type, String data, String id) {
        return new SseEvent(type, data, id);
    }

    static byte[] raw(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] bytes(Object part) {
        if (part instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (part instanceof byte[] b) {
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : (Object[]) part) {
            out.writeBytes(bytes(p));
        }
        return out.toByteArray();
    }

    static Object[] join(Object... parts) {
        return parts;
    }

    @Override
    public String toString() {
        return name;
    }
}
