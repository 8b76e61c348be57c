package org.chatrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A streaming server for tests on a random port that speaks both dialects: OpenAI at {@code /v1/chat/completions},
 * Anthropic at {@code /v1/messages}. The scenario comes from a tag in the last user message, e.g. {@code [cut]} or
 * {@code [slow:20:100]} (all scenarios: {@link Script}), or {@code [plan:name]} picks the next reply of a sequence
 * the test programmed with {@link #plan} ("first 429 with Retry-After 1, then a normal answer"), so concurrent
 * tests each get their own behaviour.
 * It writes without blocking a thread per stream, and records every request and every stream the client aborted.
 */
public final class FakeUpstream implements AutoCloseable {
    /** The text of the {@code [md]} scenario. */
    public static final String MARKDOWN = Script.MARKDOWN;
    /** What the {@code [surrogates]} scenario should read as. */
    public static final String SURROGATES_SHOWN = Script.SURROGATES_SHOWN;
    private static final Pattern TAG = Pattern.compile("\\[([a-z]+)(?::(\\d+))?(?::(\\d+))?]");
    private static final Pattern PLAN = Pattern.compile("\\[plan:([A-Za-z0-9_-]+)]");
    private final Map<String, Deque<Reply>> plans = new ConcurrentHashMap<>();
    private final Server server;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ObjectMapper json = new ObjectMapper();
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<String> paths = new CopyOnWriteArrayList<>();
    public final List<HttpFields> headers = new CopyOnWriteArrayList<>();
    public final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    public final AtomicInteger completed = new AtomicInteger();
    public volatile long lastAbortNanos;
    private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();

    /** Ends every {@code [held]} stream, now and from now on: each sends its usage and terminator next. */
    public void releaseHeld() {
        held.set(true);
    }

    /** Waits until more than {@code before} streams were aborted by the client; false on timeout. */
    public boolean awaitAborted(int before, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (aborted.get() <= before) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public FakeUpstream() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 4);
        pool.setName("fake-upstream");
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connectionsOpened.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return serve(request, response, callback);
            }
        });
        server.start();
    }

    /** How many TCP connections clients opened to this server: a relay that reuses its connections opens few. */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** The text of the {@code [long:N:ms]} scenario. */
    public static String longText(int chars) {
        return Script.longText(chars);
    }

    /**
     * Programs the replies to messages tagged {@code [plan:name]}: the first such request gets the first reply, and
     * so on; the last reply repeats.
     */
    public void plan(String name, Reply... replies) {
        plans.put(name, new ArrayDeque<>(List.of(replies)));
    }

    /** How many requests reached this server for messages tagged {@code [plan:name]}. */
    public long requestsFor(String name) {
        String tag = "[plan:" + name + "]";
        return requests.stream().filter(r -> lastMessage(r).contains(tag)).count();
    }

    private Reply next(String name) {
        Deque<Reply> plan = plans.get(name);
        if (plan == null) {
            throw new IllegalStateException("no plan named " + name);
        }
        synchronized (plan) {
            return plan.size() > 1 ? plan.pollFirst() : plan.peekFirst();
        }
    }

    private static String lastMessage(JsonNode body) {
        JsonNode messages = body.path("messages");
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1";
    }

    private boolean serve(Request request, Response response, Callback callback) throws Exception {
        JsonNode body = json.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        requests.add(body);
        paths.add(request.getHttpURI().getPath());
        headers.add(request.getHeaders().asImmutable());
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        authorizations.add(auth == null ? "" : auth);
        Frames frames = request.getHttpURI().getPath().endsWith("/messages") ? Frames.ANTHROPIC : Frames.OPENAI;
        String last = lastMessage(body);
        Matcher planned = PLAN.matcher(last);
        Reply reply = planned.find() ? next(planned.group(1)) : fromTag(last);
        if ("spend".equals(reply.scenario())) {
            JsonNode cap = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
            reply = Reply.stream("spend", cap != null && cap.canConvertToInt() ? cap.asInt() : -1, -1);
        }
        if (reply.before() != null) {
            reply.before().run();
        }
        if (reply.hang()) {
            // No status line, no headers: the relay's own timer has to give up on this attempt.
            return true;
        }
        if (reply.json()) {
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            if (reply.retryAfter() != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, reply.retryAfter());
            }
            Content.Sink.write(response, true, "{\"error\":{\"message\":\"secret upstream detail\",\"type\":\"x\"}}", callback);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        long interval = intervalFor(reply.scenario(), reply.b());
        new Player(response, callback, Script.of(reply.scenario(), reply.a(), reply.b(), frames, interval, held::get), interval).next();
        return true;
    }

    /** The scenario tags of the existing tests, e.g. {@code [status:429]} (with Retry-After 7) or {@code [json]}. */
    private static Reply fromTag(String last) {
        Matcher m = TAG.matcher(last);
        boolean tagged = m.find();
        String scenario = tagged ? m.group(1) : "normal";
        int a = tagged && m.group(2) != null ? Integer.parseInt(m.group(2)) : -1;
        int b = tagged && m.group(3) != null ? Integer.parseInt(m.group(3)) : -1;
        return switch (scenario) {
            case "status" -> a == 429 ? Reply.status(a).retryAfter("7") : Reply.status(a);
            case "json" -> Reply.json200();
            default -> Reply.stream(scenario, a, b);
        };
    }

    private static long intervalFor(String scenario, int b) {
        return switch (scenario) {
            case "slow", "forever", "held", "think", "thinkforever", "thinkstall" -> b > 0 ? b : 100;
            case "long" -> b > 0 ? b : 5;
            case "big" -> 1;
            case "hang" -> 0;
            default -> 30;
        };
    }

    /** Sends one frame, waits for the write to finish, then schedules the next: no thread waits in between. */
    private final class Player implements Callback {
        private final Response response;
        private final Callback done;
        private final Script script;
        private final long intervalMs;
        private int index;

        Player(Response response, Callback done, Script script, long intervalMs) {
            this.response = response;
            this.done = done;
            this.script = script;
            this.intervalMs = intervalMs;
        }

        void next() {
            Script.Step step = script.step(index++);
            switch (step.kind()) {
                case FRAME -> response.write(false, ByteBuffer.wrap(step.bytes()), this);
                case END -> {
                    completed.incrementAndGet();
                    response.write(true, ByteBuffer.allocate(0), done);
                }
                case CUT -> {
                    completed.incrementAndGet();
                    // Failing the handler's callback after the response is committed makes Jetty close the
                    // connection without the final chunk: the client sees a cut stream.
                    done.failed(new RuntimeException("cut by fake upstream"));
                }
                case HANG -> {
                    // Send nothing more; the relay's timers or the client must end it.
                }
            }
        }

        @Override
        public void succeeded() {
            if (intervalMs <= 0) {
                next();
            } else {
                scheduler.schedule(this::next, intervalMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void failed(Throwable x) {
            lastAbortNanos = System.nanoTime();
            aborted.incrementAndGet();
            done.failed(x);
        }
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        server.stop();
    }
}
