package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.chatrelay.config.ApiKeySource;
import org.chatrelay.config.Dialect;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real server in both dialects. docs/sse-conformance.md case 36: failures that are not event
 * streams are reported before any stream begins and never reach the dialect; request shapes per dialect; failure kinds
 * per cause.
 */
class UpstreamClientTest {
    static FakeUpstream fake;
    static UpstreamClient client;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeUpstream();
        client = new UpstreamClient(new ObjectMapper(), Duration.ofSeconds(5), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        fake.close();
    }

    /** The end of one exchange as the listener saw it. */
    static final class Result implements ExchangeListener {
        final DialectHarness.Recorder handler = new DialectHarness.Recorder();
        final CompletableFuture<String> end = new CompletableFuture<>();
        volatile UpstreamFailure failure;
        volatile RuntimeException decodeFailure;

        public void onAccepted(int status) { handler.calls.add("accepted " + status); }
        public void onRejected(UpstreamFailure f) { failure = f; end.complete("rejected"); }
        public void onEnded(Throwable t) { end.complete(t == null ? "ended" : "failed"); }
        public boolean readyForMore() { return true; }
        public void onDecodeFailure(RuntimeException e) { decodeFailure = e; }
    }

    static UpstreamTarget target(Dialect dialect, String base) {
        return new UpstreamTarget("fake", dialect, URI.create(base), ApiKeySource.none(), "m-1", Duration.ofSeconds(5), 512);
    }

    static Result send(Dialect dialect, String base, String message) throws Exception {
        Result r = new Result();
        client.stream(target(dialect, base), "sk-test-key", List.of(new ChatMessage("system", "sys"), new ChatMessage("user", message)), r.handler, r);
        r.end.get(10, TimeUnit.SECONDS);
        return r;
    }

    @Test
    void case36_a_429_with_retry_after_and_a_json_body_is_a_refusal_and_never_parsed() throws Exception {
        for (Dialect d : Dialect.values()) {
            Result r = send(d, fake.baseUrl(), "[status:429]");
            assertEquals(UpstreamFailure.Kind.HTTP_STATUS, r.failure.kind());
            assertEquals(429, r.failure.status());
            assertEquals(Duration.ofSeconds(7), r.failure.retryAfter().orElseThrow());
            assertTrue(r.failure.transientFailure());
            assertEquals(List.of(), r.handler.calls, "a refusal's body must never reach the dialect");
        }
    }

    @Test
    void case36_401_529_503_and_a_json_200_are_refusals_of_the_right_kind() throws Exception {
        Result auth = send(Dialect.ANTHROPIC, fake.baseUrl(), "[status:401]");
        assertTrue(auth.failure.authRefused());
        Result overloaded = send(Dialect.ANTHROPIC, fake.baseUrl(), "[status:529]");
        assertEquals(529, overloaded.failure.status());
        assertTrue(overloaded.failure.transientFailure());
        assertTrue(send(Dialect.OPENAI, fake.baseUrl(), "[status:503]").failure.transientFailure());
        Result json = send(Dialect.ANTHROPIC, fake.baseUrl(), "[json]");
        assertEquals(UpstreamFailure.Kind.NOT_AN_EVENT_STREAM, json.failure.kind());
        assertEquals(List.of(), json.handler.calls);
    }

    @Test
    void anthropic_requests_go_to_messages_with_x_api_key_and_the_version_header() throws Exception {
        int before = fake.requests.size();
        Result r = send(Dialect.ANTHROPIC, fake.baseUrl(), "hello");
        assertEquals("ended", r.end.get());
        assertEquals("/v1/messages", fake.paths.get(before));
        assertEquals("sk-test-key", fake.headers.get(before).get("x-api-key"));
        assertEquals("2023-06-01", fake.headers.get(before).get("anthropic-version"));
        assertNull(fake.headers.get(before).get("Authorization"));
        assertEquals("sys", fake.requests.get(before).get("system").asText());
        assertEquals(512, fake.requests.get(before).get("max_tokens").asInt());
        assertEquals(List.of("accepted 200", "model claude-fake-2025", "usage 12/null", "text Hel", "text lo", "text  world",
                "finish end_turn", "usage null/3", "done"), r.handler.calls);
    }

    @Test
    void openai_requests_go_to_chat_completions_with_a_bearer_token() throws Exception {
        int before = fake.requests.size();
        send(Dialect.OPENAI, fake.baseUrl(), "hello");
        assertEquals("/v1/chat/completions", fake.paths.get(before));
        assertEquals("Bearer sk-test-key", fake.authorizations.get(before));
        assertNull(fake.headers.get(before).get("x-api-key"));
    }

    @Test
    void an_exception_thrown_in_the_decode_path_is_reported_as_a_decode_failure_and_no_protocol_error() throws Exception {
        for (Dialect d : Dialect.values()) {
            Result r = new Result();
            List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Every handler method records its name; the text throws, as an encoder that meets odd bytes would.
            StreamHandler throwing = (StreamHandler) java.lang.reflect.Proxy.newProxyInstance(StreamHandler.class.getClassLoader(),
                    new Class<?>[] {StreamHandler.class}, (proxy, method, args) -> {
                        calls.add(method.getName());
                        if (method.getName().equals("onText")) {
                            throw new IllegalArgumentException("unexpected bytes");
                        }
                        return null;
                    });
            client.stream(target(d, fake.baseUrl()), "sk-test-key", List.of(new ChatMessage("user", "hello")), throwing, r);
            assertEquals("failed", r.end.get(10, TimeUnit.SECONDS), d + ": the request is aborted");
            assertNotNull(r.decodeFailure, d + ": the exception reached the listener as a decode failure");
            assertEquals("unexpected bytes", r.decodeFailure.getMessage());
            assertTrue(!calls.contains("onProtocolError") && calls.indexOf("onText") == calls.size() - 1, d + " " + calls);
        }
    }

    @Test
    void a_closed_port_is_a_connect_failure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(UpstreamFailure.Kind.CONNECT, send(Dialect.OPENAI, "http://127.0.0.1:" + port + "/v1", "x").failure.kind());
    }

    @Test
    void our_own_timers_abort_with_a_kind_that_says_which_phase_timed_out() throws Exception {
        fake.plan("hang-client", Reply.hangBeforeHeaders());
        for (UpstreamTimeout.Phase phase : UpstreamTimeout.Phase.values()) {
            Result r = new Result();
            UpstreamExchange ex = client.stream(target(Dialect.OPENAI, fake.baseUrl()), null,
                    List.of(new ChatMessage("user", "[plan:hang-client]")), r.handler, r);
            Thread.sleep(100);
            ex.abort(new UpstreamTimeout(phase));
            r.end.get(5, TimeUnit.SECONDS);
            assertNotNull(r.failure);
            assertEquals(phase == UpstreamTimeout.Phase.CONNECT ? UpstreamFailure.Kind.CONNECT_TIMEOUT : UpstreamFailure.Kind.TIMEOUT,
                    r.failure.kind());
        }
    }
}
