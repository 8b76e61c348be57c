package org.chatrelay.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 items 1, 3 and 4 on the node that produces the answer: every chat event carries its position as its id; a
 * resume after any of them continues the live answer exactly; the chat POST's browser leaving keeps the provider
 * request open for the grace period, a resume within it carries the answer to its end, and without one it ends
 * {@code client_gone} with the provider request aborted; several viewers read one answer and Stop from any ends it;
 * the stored text grows by checkpoints, not by tokens.
 */
class LiveResumeIT {
    static final int GRACE_MS = 3_000;
    static final int CHECKPOINT_MS = 400;

    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("live-resume").database(AppUnderTest.Db.SELECTED)
            .providers(1, EndedResumeIT::providers)
            .settings(Map.of("chatrelay.detached.grace.ms", String.valueOf(GRACE_MS), "chatrelay.checkpoint.ms", String.valueOf(CHECKPOINT_MS),
                    "chatrelay.heartbeat.ms", "1000"));

    final ExecutorService pool = Executors.newCachedThreadPool();
    ChatClient client;

    @BeforeEach
    void visitor() throws Exception {
        client = app.visitor();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void every_event_of_the_chat_stream_carries_the_reasoning_and_text_delivered_up_to_it() throws Exception {
        SseStream s = client.chatWith("deep-thinker", "Why? [think:400:50]");
        assertEquals("done", s.last().name(), s.names().toString());
        assertEquals("0.0", s.events.get(0).id(), "start");
        int r = 0;
        int t = 0;
        for (SseStream.Event e : s.events) {
            switch (e.name()) {
                case "reasoning" -> r += e.data().get("text").asText().length();
                case "token" -> t += e.data().get("text").asText().length();
                default -> {
                }
            }
            assertEquals(r + "." + t, e.id(), e.name() + " " + e.data());
        }
        assertEquals(s.reasoning().length() + "." + s.text().length(), s.last().id());
        assertFalse(s.raw.toString().contains("id: \n"), "no empty ids");
    }

    @Test
    void a_resume_after_any_event_of_a_live_answer_gives_exactly_the_rest() throws Exception {
        String full = "t0 t1 t2 t3 t4 t5 ";
        for (int k = 0; k <= 6; k++) {
            int cutAfter = k;
            // k = 0: the browser left right after start, before any text.
            SseStream before = client.chat(null, "Count [slow:6:150]", st -> st.count("token") >= cutAfter);
            String id = before.first("start").data().get("messageId").asText();
            SseStream rest = client.resume(id, before.lastId(), x -> false);
            assertEquals(200, rest.status, rest.raw.toString());
            assertEquals(full, before.text() + rest.text(), "cut after " + k + " tokens");
            assertFalse(rest.names().contains("start"), "no start on a resume");
            assertEquals("done", rest.last().name());
            assertEquals("0." + full.length(), rest.last().id());
            assertEquals("completed", rest.last().data().get("endReason").asText());
        }
    }

    @Test
    void a_thinking_answer_cut_mid_reasoning_resumes_with_the_rest_of_the_reasoning_then_the_text() throws Exception {
        SseStream before = client.chatWithUntil("deep-thinker", "Why? [think:1000:100]", st -> st.count("reasoning") >= 3);
        String id = before.first("start").data().get("messageId").asText();
        SseStream rest = client.resume(id, before.lastId(), x -> false);
        SseStream whole = client.resume(id, null, x -> false);
        assertEquals(whole.reasoning(), before.reasoning() + rest.reasoning());
        assertEquals("Hello world", rest.text());
        assertTrue(rest.names().indexOf("token") > rest.names().lastIndexOf("reasoning"), rest.names().toString());
    }

    @Test
    void the_browser_leaving_keeps_the_provider_request_open_and_a_resume_within_the_grace_carries_it_to_done() throws Exception {
        int aborted = app.upstream.aborted.get();
        // The provider streams until the resume has read from it (releaseHeld): a fixed-length answer could end by itself
        // during the half grace on a loaded machine (one did), and then nothing would be left to resume.
        SseStream before = client.chat(null, "Long [held:0:100]", st -> st.count("token") >= 3);
        String id = before.first("start").data().get("messageId").asText();
        Thread.sleep(GRACE_MS / 2);
        assertEquals(aborted, app.upstream.aborted.get(), "the provider request is still open half a grace later");
        assertEquals("streaming", app.rows.one("SELECT status FROM message WHERE id = ?", id).get("status"));

        SseStream rest = client.resume(id, before.lastId(), x -> {
            if (x.count("token") >= 1) {
                app.upstream.releaseHeld();
            }
            return false;
        });
        assertEquals("done", rest.last().name(), rest.names().toString());
        String full = before.text() + rest.text();
        assertTrue(full.matches("(tick ){3,}"), "one answer, nothing repeated or skipped: " + full);
        Map<String, Object> u = app.rows.endedUsage(id, 5_000);
        assertEquals("completed", u.get("end_reason"));
        assertEquals(full, u.get("message_content"));
        assertEquals(aborted, app.upstream.aborted.get(), "never aborted");
    }

    @Test
    void with_no_viewer_the_answer_ends_client_gone_after_the_grace_and_the_provider_request_is_aborted() throws Exception {
        int aborted = app.upstream.aborted.get();
        SseStream before = client.chat(null, "Endless [forever:0:100]", st -> st.count("token") >= 2);
        long closedAt = System.nanoTime();
        String id = before.first("start").data().get("messageId").asText();
        assertTrue(app.upstream.awaitAborted(aborted, GRACE_MS + 5_000), "the provider request is aborted after the grace");
        long abortedAfterMs = (app.upstream.lastAbortNanos - closedAt) / 1_000_000;
        assertTrue(abortedAfterMs >= GRACE_MS, "not before the grace: " + abortedAfterMs + " ms");
        Map<String, Object> u = app.rows.endedUsage(id, 5_000);
        assertEquals("client_gone", u.get("end_reason"));
        String stored = (String) u.get("message_content");
        assertTrue(stored.startsWith(before.text()) && stored.length() > before.text().length(),
                "the answer went on generating while detached: " + stored);
        System.out.printf("[LiveResumeIT] browser gone, no viewer: provider request aborted %d ms later (grace %d ms)%n", abortedAfterMs,
                GRACE_MS);
        SseStream late = client.resume(id, before.lastId(), x -> false);
        assertEquals(stored, before.text() + late.text(), "a resume after the end still gets the rest");
        assertEquals("client_gone", late.last().data().get("endReason").asText());
    }

    @Test
    void two_viewers_read_the_same_answer_and_stop_from_the_second_stops_it() throws Exception {
        int aborted = app.upstream.aborted.get();
        AtomicReference<String> messageId = new AtomicReference<>();
        Future<SseStream> first = chatInBackground("Endless [forever:0:100]", messageId);
        String id = messageId.get();
        ChatClient secondTab = client;
        Future<SseStream> second = pool.submit(() -> secondTab.resume(id, null, x -> x.count("token") >= 3 && stop(secondTab, id)));
        SseStream b = second.get(10, TimeUnit.SECONDS);
        SseStream a = first.get(10, TimeUnit.SECONDS);
        assertEquals("done", a.last().name(), a.names().toString());
        assertEquals("user_stop", a.last().data().get("endReason").asText());
        // The second tab stopped reading when it sent Stop; a third look has the same end.
        SseStream after = client.resume(id, b.lastId(), x -> false);
        assertEquals(a.text(), b.text() + after.text(), "both viewers saw the same answer");
        assertEquals(a.last().data(), after.last().data());
        assertTrue(app.upstream.awaitAborted(aborted, 5_000), "Stop aborted the provider request");
    }

    /** Reads a chat in the background; returns once its first token arrived, with {@code messageId} set. */
    private Future<SseStream> chatInBackground(String message, AtomicReference<String> messageId) throws InterruptedException {
        Future<SseStream> chat = pool.submit(() -> client.chat(null, message, st -> {
            if (messageId.get() == null && st.count("token") == 1) {
                messageId.set(st.first("start").data().get("messageId").asText());
            }
            return false;
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (messageId.get() == null) {
            assertTrue(System.nanoTime() < deadline, "no token within 10 s");
            Thread.sleep(10);
        }
        return chat;
    }

    private static boolean stop(ChatClient c, String id) {
        try {
            c.send(c.post("api/chat/stop", "{\"messageId\":\"" + id + "\"}").build());
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void the_stored_text_grows_by_checkpoints_at_most_once_an_interval_not_by_tokens() throws Exception {
        Future<SseStream> chat = pool.submit(() -> client.chat(null, "Count [slow:40:75]"));
        String id = null;
        List<String> seen = new ArrayList<>();
        long start = System.nanoTime();
        while (!chat.isDone()) {
            List<Map<String, Object>> rows = app.rows.query("SELECT m.id, m.content, m.status FROM message m JOIN conversation c"
                    + " ON c.id = m.conversation_id WHERE c.visitor_id = ? AND m.role = 'assistant'", client.visitorId());
            if (!rows.isEmpty() && "streaming".equals(rows.get(0).get("status"))) {
                id = (String) rows.get(0).get("id");
                String content = (String) rows.get(0).get("content");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(content)) {
                    seen.add(content);
                }
            }
            Thread.sleep(10);
        }
        long streamedMs = (System.nanoTime() - start) / 1_000_000;
        SseStream s = chat.get();
        assertEquals("done", s.last().name());
        for (String c : seen) {
            assertTrue(s.text().startsWith(c), "every checkpoint is a prefix of the answer: " + c);
        }
        long grown = seen.stream().filter(c -> !c.isEmpty()).count();
        assertTrue(grown >= 3, "checkpoints were written while it streamed: " + seen.size());
        assertTrue(grown <= streamedMs / CHECKPOINT_MS + 1, grown + " stored versions in " + streamedMs + " ms: at most one per "
                + CHECKPOINT_MS + " ms (40 tokens would be 40)");
        assertEquals(s.text(), app.rows.endedUsage(id, 5_000).get("message_content"));
    }

    @Test
    void a_position_beyond_what_the_live_answer_produced_is_400() throws Exception {
        AtomicReference<String> messageId = new AtomicReference<>();
        Future<SseStream> chat = chatInBackground("Long [slow:10:200]", messageId);
        SseStream r = client.resume(messageId.get(), "0.500", x -> false);
        assertEquals(400, r.status, r.raw.toString());
        JsonNode error = EndedResumeIT.JSON.readTree(r.raw.toString()).get("error");
        assertEquals("invalid_request", error.get("code").asText());
        assertEquals("done", chat.get(10, TimeUnit.SECONDS).last().name());
    }
}
