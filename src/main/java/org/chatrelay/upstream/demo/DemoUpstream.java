package org.chatrelay.upstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.chatrelay.upstream.ChatMessage;

/**
 * An OpenAI-compatible streaming endpoint on a loopback port, used when no upstream is configured. The relay
 * reaches it over real HTTP with the same client and SSE decoder as a real provider, so the demo exercises
 * the whole path. It needs no network and no key.
 */
public final class DemoUpstream implements AutoCloseable {
    public static final String MODEL = "chatrelay-demo";
    private final HttpServer server;
    private final ScheduledExecutorService pacer;
    private final ObjectMapper json;
    /** Token counts come from the relay's tokenizer, handed in so this package does not depend on it. */
    private final ToIntFunction<String> tokens;
    private final ToIntFunction<List<ChatMessage>> promptTokens;

    public DemoUpstream(ObjectMapper json, ToIntFunction<String> tokens, ToIntFunction<List<ChatMessage>> promptTokens) throws IOException {
        this.json = json;
        this.tokens = tokens;
        this.promptTokens = promptTokens;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.pacer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-upstream");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pacer);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(405, -1);
            ex.close();
            return;
        }
        JsonNode body = json.readTree(ex.getRequestBody());
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
        }
        String question = messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
        String answer = DemoScript.answer(question);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        List<String> pieces = DemoScript.pieces(answer);
        int completionTokens = tokens.applyAsInt(answer);
        new Playback(ex, pieces, promptTokens.applyAsInt(messages), completionTokens,
                DemoScript.intervalMillis(question, completionTokens, pieces.size())).schedule(DemoScript.firstTokenDelayMillis(question));
    }

    /** Plays one answer, a piece per tick, from the shared pacer threads (no thread sleeps per stream). */
    private final class Playback implements Runnable {
        private final HttpExchange ex;
        private final OutputStream out;
        private final List<String> pieces;
        private final int promptTokens;
        private final int completionTokens;
        private final long interval;
        private final String id = "chatcmpl-demo-" + Long.toHexString(System.nanoTime());
        private int next = -1;
        private ScheduledFuture<?> task;

        Playback(HttpExchange ex, List<String> pieces, int promptTokens, int completionTokens, long interval) {
            this.ex = ex;
            this.out = ex.getResponseBody();
            this.pieces = pieces;
            this.promptTokens = promptTokens;
            this.completionTokens = completionTokens;
            this.interval = interval;
        }

        void schedule(long firstDelay) {
            // Fixed delay, not fixed rate: after a pause (GC, cold start) a fixed rate would fire a catch-up burst.
            task = pacer.scheduleWithFixedDelay(this, firstDelay, interval, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            try {
                if (next < 0) {
                    write(chunk(delta("role", "assistant").put("content", ""), null));
                    next = 0;
                }
                if (next < pieces.size()) {
                    write(chunk(delta("content", pieces.get(next++)), null));
                    return;
                }
                write(chunk(json.createObjectNode(), "stop"));
                ObjectNode usage = base();
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                        .put("total_tokens", promptTokens + completionTokens);
                write(usage.toString());
                write("[DONE]");
                finish();
            } catch (IOException relayWentAway) {
                finish();
            }
        }

        private ObjectNode delta(String field, String value) {
            ObjectNode d = json.createObjectNode();
            d.put(field, value);
            return d;
        }

        private String chunk(ObjectNode delta, String finishReason) {
            ObjectNode c = base();
            ObjectNode choice = c.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finishReason);
            c.putNull("usage");
            return c.toString();
        }

        private ObjectNode base() {
            ObjectNode c = json.createObjectNode();
            c.put("id", id).put("object", "chat.completion.chunk").put("created", System.currentTimeMillis() / 1000).put("model", MODEL);
            return c;
        }

        private void write(String data) throws IOException {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void finish() {
            task.cancel(false);
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pacer.shutdownNow();
    }
}
