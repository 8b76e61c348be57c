package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Blackhole;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;

/** Connection refused with fallback, cooldown and recovery; the per-provider stream limit, its queue and the 503. */
class LimitsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The app with a providers file naming the test's own upstreams. */
    static AppUnderTest server(String name, String providersJson) throws Exception {
        return AppUnderTest.named(name).providers(0, upstreams -> providersJson).start();
    }

    static String conversation(SseStream s) {
        return s.first("start").data().get("conversationId").asText();
    }

    static void await(BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void a_refused_connection_is_retried_then_the_backup_answers_and_the_failing_provider_cools_down_and_comes_back() throws Exception {
        try (FakeUpstream backup = new FakeUpstream(); AppUnderTest app = server("refused", """
                {'defaultModel': 'chat',
                 'cooldown': {'windowMs': 60000, 'minRequests': 4, 'failureRatio': 0.5, 'cooldownMs': 2000},
                 'providers': [
                  {'name': 'dead', 'baseUrl': '%s', 'models': [{'name': 'chat'}], 'retry': {'maxAttempts': 2, 'baseDelayMs': 20, 'maxDelayMs': 40}},
                  {'name': 'backup', 'baseUrl': '%s', 'models': [{'name': 'chat'}]}]}
                """.formatted(ProvidersFiles.refusingBaseUrl(), backup.baseUrl()))) {
            Rows rows = app.rows;
            ChatClient client = new ChatClient(app.base()).open();
            List<String> refusedThenBackup = List.of("1 dead failed - connect_refused", "2 dead failed - connect_refused", "3 backup answered 200 -");
            for (int turn = 1; turn <= 2; turn++) {
                SseStream s = client.chat(null, "turn " + turn);
                assertEquals(List.of("start", "token", "done"), s.shape());
                assertEquals("Hello world", s.text());
                assertEquals("backup", s.first("start").data().get("provider").asText());
                assertEquals(refusedThenBackup, rows.attempts(conversation(s)));
            }
            // 4 failures of 4 within the window: 'dead' is skipped for 2 s.
            SseStream skipped = client.chat(null, "turn 3");
            assertEquals("Hello world", skipped.text());
            assertEquals(List.of("1 backup answered 200 -"), rows.attempts(conversation(skipped)));
            Thread.sleep(2100);
            SseStream back = client.chat(null, "turn 4");
            assertEquals("Hello world", back.text());
            assertEquals(refusedThenBackup, rows.attempts(conversation(back)), "after the cooldown 'dead' is tried again by itself");
            Map<String, Object> u = rows.endedUsageOfConversation(conversation(back), 5000);
            assertEquals("backup", u.get("provider"));
            assertEquals(3, u.get("attempts"));
        }
    }

    @Test
    void a_provider_that_cannot_be_connected_to_in_time_is_left_for_the_next_one() throws Exception {
        try (Blackhole blackhole = new Blackhole(); FakeUpstream backup = new FakeUpstream(); AppUnderTest app = server("connect", """
                {'defaultModel': 'chat',
                 'providers': [
                  {'name': 'unreachable', 'baseUrl': '%s', 'models': [{'name': 'chat'}],
                   'timeouts': {'connectMs': 1000}, 'retry': {'maxAttempts': 1}},
                  {'name': 'backup', 'baseUrl': '%s', 'models': [{'name': 'chat'}]}]}
                """.formatted(blackhole.baseUrl(), backup.baseUrl()))) {
            Rows rows = app.rows;
            ChatClient client = new ChatClient(app.base()).open();
            long t0 = System.nanoTime();
            SseStream s = client.chat(null, "hello");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(List.of("start", "token", "done"), s.shape());
            assertEquals("Hello world", s.text());
            assertEquals(List.of("1 unreachable failed - connect_timeout", "2 backup answered 200 -"), rows.attempts(conversation(s)));
            // The one-second ticker checks the connect timer: 1 to 2 s, far below Jetty's own 10 s backstop.
            assertTrue(ms >= 1000 && ms < 8000, "answered after " + ms + " ms");
            System.out.printf("[LimitsIT] connect timeout 1000 ms -> backup answered after %d ms%n", ms);
        }
    }

    @Test
    void the_excess_over_the_stream_limit_waits_then_takes_a_freed_place_or_falls_back_or_gets_a_503() throws Exception {
        try (FakeUpstream limitedUpstream = new FakeUpstream(); FakeUpstream overflowUpstream = new FakeUpstream();
             AppUnderTest app = server("limits", """
                {'defaultModel': 'chat', 'cooldown': {'minRequests': 100000},
                 'providers': [
                  {'name': 'limited', 'baseUrl': '%s', 'models': [{'name': 'chat'}],
                   'maxConcurrentStreams': 1, 'queue': {'size': 1, 'maxWaitMs': 1500}},
                  {'name': 'overflow', 'baseUrl': '%s', 'models': [{'name': 'chat'}],
                   'maxConcurrentStreams': 1, 'queue': {'size': 0}}]}
                """.formatted(limitedUpstream.baseUrl(), overflowUpstream.baseUrl()))) {
            Rows rows = app.rows;
            ChatClient client = new ChatClient(app.base()).open();

            // A waiting answer takes the place its predecessor frees. The first streams until the test releases it, so
            // the second's wait ends when the test says, not when a 1 s answer happens to end on a loaded machine (one
            // took 1,761 ms, past the queue's 1,500 ms).
            limitedUpstream.plan("first", Reply.stream("held", 0, 100));
            limitedUpstream.plan("second", Reply.ok());
            CompletableFuture<SseStream> first = CompletableFuture.supplyAsync(() -> chat(client, "one [plan:first]"));
            await(() -> limitedUpstream.requestsFor("first") == 1, "the first answer holds the only place");
            CompletableFuture<SseStream> queued = CompletableFuture.supplyAsync(() -> chat(client, "two [plan:second]"));
            await(() -> gauge(client, "chatrelay_provider_streams_queued", "limited") == 1, "the second answer waits for the place");
            assertEquals(1, gauge(client, "chatrelay_provider_streams_active", "limited"));
            assertEquals(0, limitedUpstream.requestsFor("second"), "the second answer went upstream beside the first");
            limitedUpstream.releaseHeld();
            SseStream second = queued.get(10, TimeUnit.SECONDS);
            assertEquals("Hello world", second.text());
            SseStream held = first.get(10, TimeUnit.SECONDS);
            assertEquals("done", held.last().name());
            assertTrue(held.text().matches("(tick )*"), "ticks until released, perhaps none: " + held.text());
            assertEquals(List.of("1 limited answered 200 -"), rows.attempts(conversation(second)));
            int waited = ((Number) rows.one("SELECT a.waited_ms FROM answer_attempt a JOIN answer_usage u ON u.id = a.usage_id"
                    + " WHERE u.conversation_id = ?", conversation(second)).get("waited_ms")).intValue();
            System.out.printf("[LimitsIT] the queued answer waited %d ms for the place to free up%n", waited);
            assertTrue(waited > 0, "it waited " + waited + " ms");

            // Both providers full: the next waits in the queue, falls back; the one after that gets a 503. Both stay full
            // for seconds after the 503's 1.5 s wait, however slowly the machine runs the test between them.
            limitedUpstream.plan("hold", Reply.stream("slow", 80, 100));
            overflowUpstream.plan("spill", Reply.stream("slow", 60, 100));
            limitedUpstream.plan("spill", Reply.ok());
            CompletableFuture<SseStream> hold = CompletableFuture.supplyAsync(() -> chat(client, "hold [plan:hold]"));
            await(() -> limitedUpstream.requestsFor("hold") == 1, "'limited' is full");
            CompletableFuture<SseStream> spill = CompletableFuture.supplyAsync(() -> chat(client, "spill [plan:spill]"));
            await(() -> overflowUpstream.requestsFor("spill") == 1, "the queued answer fell back to 'overflow'");
            long t0 = System.nanoTime();
            HttpResponse<String> refused = client.send(client.post("api/chat", ChatClient.body(null, "too many [plan:spill]")).build());
            long refusedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            JsonNode error = JSON.readTree(refused.body()).get("error");
            assertEquals("upstream_busy", error.get("code").asText());
            assertEquals(0, limitedUpstream.requestsFor("spill"), "nothing beyond the limit reached 'limited'");
            assertEquals(1, overflowUpstream.requestsFor("spill"), "nor 'overflow'");
            Map<String, Object> u = rows.endedUsageOfConversation(error.get("conversationId").asText(), 5000);
            assertEquals("upstream_busy", u.get("error_code"));
            assertEquals(0, u.get("attempts"));
            System.out.printf("[LimitsIT] both providers full: 503 upstream_busy after %d ms (queue wait 1500 ms)%n", refusedMs);

            SseStream spilled = spill.get(10, TimeUnit.SECONDS);
            assertEquals("overflow", spilled.first("start").data().get("provider").asText());
            assertEquals(ticks(60), spilled.text());
            assertEquals(List.of("1 overflow answered 200 -"), rows.attempts(conversation(spilled)));
            assertEquals(ticks(80), hold.get(20, TimeUnit.SECONDS).text());
        }
    }

    /** A provider's gauge as the node's /metrics shows it now. */
    static int gauge(ChatClient client, String name, String provider) {
        try {
            Matcher m = Pattern.compile("(?m)^" + name + "\\{provider=\"" + provider + "\"[^}]*} (\\S+)").matcher(client.get("metrics").body());
            assertTrue(m.find(), name + " for " + provider);
            return (int) Double.parseDouble(m.group(1));
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of FakeUpstream's {@code slow} scenario of {@code n} tokens. */
    static String ticks(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "t" + i + " ").collect(java.util.stream.Collectors.joining());
    }

    static SseStream chat(ChatClient client, String message) {
        try {
            return client.chat(null, message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
