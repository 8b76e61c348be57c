package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.chatrelay.upstream.sse.SseDecoder;
import org.chatrelay.upstream.sse.SseListener;

/** Feeds a stream through the real SSE decoder into a dialect, whole and one byte at a time, and records what it says. */
final class DialectHarness {
    private DialectHarness() {
    }

    /** Writes every call as a line, so a whole conversation is one comparable list. */
    static final class Recorder implements StreamHandler {
        final List<String> calls = new ArrayList<>();

        public void onText(String text) { calls.add("text " + text); }
        public void onReasoning(String text) { calls.add("reasoning " + text); }
        public void onReasoningTokens(int tokens) { calls.add("reasoning tokens " + tokens); }
        public void onFinish(String reason) { calls.add("finish " + reason); }
        public void onUsage(Integer p, Integer c) { calls.add("usage " + p + "/" + c); }
        public void onModel(String model) { calls.add("model " + model); }
        public void onProviderError(String code, String message) { calls.add("error " + code + ": " + message); }
        public void onToolCall() { calls.add("tool"); }
        public void onTerminator() { calls.add("done"); }
        public void onProtocolError(String message) { calls.add("protocol " + message); }
    }

    static List<String> run(BiFunction<ObjectMapper, StreamHandler, SseListener> dialect, String stream) {
        List<String> whole = feed(dialect, stream, stream.length());
        List<String> bytewise = feed(dialect, stream, 1);
        assertEquals(whole, bytewise, "the dialect must not depend on how the bytes were split");
        return whole;
    }

    private static List<String> feed(BiFunction<ObjectMapper, StreamHandler, SseListener> dialect, String stream, int step) {
        Recorder r = new Recorder();
        SseDecoder decoder = new SseDecoder(dialect.apply(new ObjectMapper(), r));
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += step) {
            decoder.feed(bytes, i, Math.min(step, bytes.length - i));
        }
        decoder.end();
        return r.calls;
    }
}
