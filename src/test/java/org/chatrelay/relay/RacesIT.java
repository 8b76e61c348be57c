package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Races and odd bytes (issue 12, item 5), through the built WAR. Each provider serves its own model, so one test's
 * health record is not another's; the cooldown starts after 2 failures out of 2 attempts, so a single wrongful
 * strike too many shows as a refused chat.
 */
class RacesIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("races-it")
            .providers(2, upstreams -> """
                {'defaultModel': 'gated',
                 'cooldown': {'minRequests': 2, 'failureRatio': 0.5, 'cooldownMs': 600000},
                 'providers': [
                  {'name': 'gated', 'baseUrl': '%1$s', 'models': [{'name': 'gated'}], 'maxConcurrentStreams': 1,
                   'queue': {'size': 4, 'maxWaitMs': 30000},
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 5000, 'idleMs': 1000, 'totalMs': 60000},
                   'retry': {'maxAttempts': 1}},
                  {'name': 'bytes', 'baseUrl': '%1$s', 'models': [{'name': 'bytes'}], 'retry': {'maxAttempts': 1}},
                  {'name': 'strict', 'baseUrl': '%1$s', 'models': [{'name': 'strict'}], 'retry': {'maxAttempts': 1}},
                  {'name': 'slow', 'baseUrl': '%1$s', 'models': [{'name': 'slow'}],
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 4000, 'idleMs': 10000, 'totalMs': 60000},
                   'retry': {'maxAttempts': 1}},
                  {'name': 'stall', 'baseUrl': '%1$s', 'models': [{'name': 'stall'}],
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 5000, 'idleMs': 1000, 'totalMs': 60000},
                   'retry': {'maxAttempts': 1}},
                  {'name': 'reuse', 'baseUrl': '%2$s', 'models': [{'name': 'reuse'}], 'retry': {'maxAttempts': 1}}]}
                """.formatted(upstreams.get(0).baseUrl(), upstreams.get(1).baseUrl()))
            .settings(Map.of("chatrelay.heartbeat.ms", "1000"));

    /** The second upstream serves only the connection-reuse test, so its connection count is that test's alone. */
    static FakeUpstream reuse() {
        return app.upstreams.get(1);
    }

    /**
     * The provider's response goes on after its terminator (here the end of the chunked body comes 300 ms after
     * {@code [DONE]}, in a read of its own, as under load), while the answer has already ended and its browser stream is
     * closed. That rest must still be read: a parked read kept the request open until FINISH_GRACE_MS aborted it, which
     * held the provider's place (LimitsIT's queued answer once timed out waiting for it) and threw the connection away.
     */
    @Test
    void the_rest_of_a_finished_response_is_read_so_the_next_answer_reuses_the_connection() throws Exception {
        reuse().plan("first", Reply.stream("slow", 2, 300));
        reuse().plan("second", Reply.ok());
        ChatClient visitor = new ChatClient(app.base()).open();
        SseStream first = visitor.chatWith("reuse", "one [plan:first]");
        assertEquals("done", first.last().name(), first.raw.toString());
        // Past the grace after which a response still open is aborted: by now the first request is over either way.
        Thread.sleep(RelayStream.FINISH_GRACE_MS + 1_000);
        SseStream second = visitor.chatWith("reuse", "two [plan:second]");
        assertEquals("done", second.last().name(), second.raw.toString());
        assertEquals(1, reuse().connectionsOpened(), "the second answer went out on the first one's connection");
        assertEquals(0, reuse().aborted.get(), "no request was aborted");
    }

    /** End to end; the race with a hand-over already on its way is made deterministic in {@link StopWhileQueuedTest}. */
    @Test
    void stop_while_waiting_in_a_full_providers_queue_starts_no_request_and_stays_a_user_stop() throws Exception {
        app.upstream.plan("hold", Reply.stream("slow", 20, 100));
        app.upstream.plan("queued", Reply.ok());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            ChatClient holder = new ChatClient(app.base()).open();
            Future<SseStream> held = pool.submit(() -> holder.chat(null, "hold the only place [plan:hold]"));
            awaitRequests("hold", 1);
            ChatClient visitor = new ChatClient(app.base()).open();
            Future<SseStream> queued = pool.submit(() -> visitor.chat(null, "wait in the queue [plan:queued]"));
            // The queued answer's id, from its placeholder row: no event carries it yet. Its row is committed before
            // the answer is live on the node, so Stop waits until the node counts two live answers.
            String messageId = awaitStreamingAnswer(visitor.visitorId());
            awaitLiveAnswers(visitor, 2);
            int stop = visitor.send(visitor.post("api/chat/stop", "{\"messageId\":\"" + messageId + "\"}").build()).statusCode();
            assertEquals(204, stop, "the queued answer was live");

            SseStream s = queued.get(20, TimeUnit.SECONDS);
            assertEquals("done", s.last().name(), s.raw.toString());
            assertEquals("user_stop", s.last().data().get("endReason").asText());
            assertEquals("done", held.get(20, TimeUnit.SECONDS).last().name(), "the place was freed and handed over");
            // A hand-over to the stopped answer would start its request now, and time out after idleMs (1 s).
            Thread.sleep(2_000);
            assertEquals(0, app.upstream.requestsFor("queued"), "a stopped answer reached the provider");
            Map<String, Object> u = app.rows.endedUsage(messageId, 5_000);
            assertEquals("user_stop", u.get("end_reason"), "the stored ending was rewritten: " + u);
            assertEquals("user_stop", u.get("message_status"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_surrogate_pair_split_across_chunks_is_joined_and_lone_halves_become_replacement_characters() throws Exception {
        ChatClient visitor = new ChatClient(app.base()).open();
        // Two such answers: a wrongful strike each would put the provider into cooldown before the third chat.
        for (int i = 0; i < 2; i++) {
            SseStream s = visitor.chatWith("bytes", "emoji please [surrogates]");
            assertEquals("done", s.last().name(), s.raw.toString());
            assertEquals(FakeUpstream.SURROGATES_SHOWN, s.text());
            Map<String, Object> u = app.rows.endedUsage(s.first("start").data().get("messageId").asText(), 5_000);
            assertEquals("completed", u.get("end_reason"));
            assertEquals(FakeUpstream.SURROGATES_SHOWN, u.get("message_content"));
        }
        assertEquals("done", visitor.chatWith("bytes", "hello").last().name(), "the provider is not in cooldown");
    }

    @Test
    void request_caused_4xx_do_not_put_the_provider_into_cooldown() throws Exception {
        ChatClient visitor = new ChatClient(app.base()).open();
        for (int i = 0; i < 3; i++) {
            SseStream s = visitor.chatWith("strict", "a chat too long for the context [status:400]");
            assertEquals(502, s.status, s.raw.toString());
            assertTrue(s.raw.toString().contains("upstream_rejected"), s.raw.toString());
        }
        SseStream s = visitor.chatWith("strict", "hello");
        assertEquals("done", s.last().name(), "three over-long chats put the provider into cooldown: " + s.raw);
    }

    @Test
    void a_failure_after_the_stream_opened_while_connecting_is_an_error_event_after_heartbeats() throws Exception {
        app.upstream.plan("silent", Reply.hangBeforeHeaders());
        SseStream s = new ChatClient(app.base()).open().chatWith("slow", "hello [plan:silent]");
        assertEquals(200, s.status, "the stream opened while the provider was silent: " + s.raw);
        assertEquals(List.of("start", "error"), s.names());
        assertEquals("upstream_timeout", s.last().data().get("code").asText());
        long heartbeats = s.raw.toString().lines().filter(l -> l.equals(": hb")).count();
        assertTrue(heartbeats >= 1, "heartbeats while connecting: " + heartbeats);
    }

    @Test
    void a_browser_that_stops_reading_is_a_client_side_ending_and_no_strike_against_the_provider() throws Exception {
        for (int i = 0; i < 2; i++) {
            // A visitor each: the estimated tokens of a huge answer would exhaust one visitor's daily budget.
            ChatClient visitor = new ChatClient(app.base()).open();
            try (Socket socket = new Socket()) {
                // A small receive window, so the relay's queue fills and app.upstream reads pause within a few pieces.
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", app.base().getPort()), 5_000);
                String head = rawChat(socket, visitor, "a huge answer [big:300]");
                Matcher m = Pattern.compile("\"messageId\":\"([0-9a-f-]{36})\"").matcher(head);
                assertTrue(m.find(), head);
                // Read nothing more: the app.upstream idle timeout (1 s) passes while reads are paused for this browser.
                Map<String, Object> u = app.rows.endedUsage(m.group(1), 20_000);
                assertEquals("client_gone", u.get("end_reason"), "error code " + u.get("error_code"));
                assertEquals("client_stalled", u.get("error_code"));
            }
        }
        assertEquals("done", new ChatClient(app.base()).open().chatWith("stall", "hello").last().name(),
                "a stalled browser counted against the provider");
    }

    /** Posts a chat on a raw socket and returns what arrived up to the end of the start event. */
    static String rawChat(Socket socket, ChatClient client, String message) throws Exception {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("message", message).put("model", "stall");
        OutputStream out = socket.getOutputStream();
        out.write(client.rawChatRequest(body.toString()));
        out.flush();
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        int c;
        try {
            while (!seen.toString().contains("\"messageId\"") && (c = in.read()) != -1) {
                seen.append((char) c);
            }
            while ((c = in.read()) != -1 && c != '\n') {
                seen.append((char) c);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no start event within 10 s; got: " + seen, e);
        }
        return seen.toString();
    }

    static void awaitRequests(String plan, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (app.upstream.requestsFor(plan) < count) {
            assertTrue(System.nanoTime() < deadline, "no request for " + plan);
            Thread.sleep(5);
        }
    }

    static void awaitLiveAnswers(ChatClient client, int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Pattern gauge = Pattern.compile("(?m)^chatrelay_streams_active\\S* (\\d+)");
        while (true) {
            Matcher m = gauge.matcher(client.get("metrics").body());
            if (m.find() && Integer.parseInt(m.group(1)) >= count) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "fewer than " + count + " live answers");
            Thread.sleep(5);
        }
    }

    static String awaitStreamingAnswer(String visitorId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<Map<String, Object>> r = app.rows.query("SELECT m.id FROM message m JOIN conversation c ON c.id = m.conversation_id"
                    + " WHERE c.visitor_id = ? AND m.role = 'assistant' AND m.status = 'streaming'", visitorId);
            if (!r.isEmpty()) {
                return (String) r.get(0).get("id");
            }
            assertTrue(System.nanoTime() < deadline, "no answer opened for " + visitorId);
            Thread.sleep(5);
        }
    }
}
