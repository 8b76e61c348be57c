package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.admin.AdminClient;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 5 and the kill -9 test of item 4: two standalone nodes on one PostgreSQL behind nginx (round robin), at
 * the default checkpoint interval. A resume that reaches the node not producing the answer follows the answer's
 * checkpoints to the exact final text; after a kill -9 of the producing node the stored text is what the checkpoints
 * kept, a resume on the surviving node shows it, and once the node is back the answer is 'interrupted' with that text
 * and can be continued.
 */
class ResumeAcrossNodesIT {
    static final int CHECKPOINT_MS = 1_000;
    static final int GRACE_MS = 6_000;
    static final String ADMIN = "resume-admin";
    static final String ADMIN_PASSWORD = "resume-admin-password-7";
    static FakeUpstream upstream;
    static BehindNginx cluster;
    static JettyNode a;
    static JettyNode b;
    static Rows rows;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        cluster = BehindNginx.onPostgres("resume_nodes", List.of("resume-1", "resume-2"), Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_CHECKPOINT_MS", String.valueOf(CHECKPOINT_MS),
                "CHATRELAY_DETACHED_GRACE_MS", String.valueOf(GRACE_MS),
                "CHATRELAY_ADMIN_USER", ADMIN,
                "CHATRELAY_ADMIN_PASSWORD", ADMIN_PASSWORD), upstream);
        rows = cluster.rows;
        a = cluster.nodes.get(0);
        b = cluster.nodes.get(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void a_resume_on_the_node_that_does_not_own_the_answer_follows_it_to_the_exact_final_text() throws Exception {
        ChatClient visitor = new ChatClient(cluster.base()).open();
        AtomicReference<String> id = new AtomicReference<>();
        Future<SseStream> chat = pool.submit(() -> visitor.chat(null, "Count [slow:40:100]", st -> {
            if (id.get() == null && st.count("token") >= 3) {
                id.set(st.first("start").data().get("messageId").asText());
            }
            return false;
        }));
        await(id);
        String owner = (String) rows.one("SELECT node_id FROM message WHERE id = ?", id.get()).get("node_id");
        URI other = owner.equals(a.name) ? b.base() : a.base();
        Future<SseStream> remote = pool.submit(() -> visitor.at(other).resume(id.get(), null, x -> false));
        Future<SseStream> throughNginx = pool.submit(() -> visitor.resume(id.get(), null, x -> false));

        SseStream original = chat.get(30, TimeUnit.SECONDS);
        SseStream r = remote.get(30, TimeUnit.SECONDS);
        assertEquals("done", original.last().name());
        assertEquals(original.text(), r.text(), "the remote viewer's text is the answer's, exactly");
        assertEquals(original.last().data(), r.last().data(), "the same terminal event, from the stored rows");
        assertEquals(original.last().id(), r.last().id());
        assertTrue(r.count("token") >= 3, "it streamed from the checkpoints, not all at the end: " + r.names());
        assertEquals(original.text(), throughNginx.get(30, TimeUnit.SECONDS).text());

        // How far behind the owner's own stream the remote viewer ran: for each of its token events, the time since the
        // original stream had delivered the same text.
        long worst = 0;
        long sum = 0;
        int n = 0;
        for (SseStream.Event e : r.events) {
            if (e.name().equals("token")) {
                long lag = (e.arrivedNanos() - reachedAt(original, textEnd(e))) / 1_000_000;
                worst = Math.max(worst, lag);
                sum += lag;
                n++;
            }
        }
        System.out.printf("[ResumeAcrossNodesIT] cross-node resume (checkpoint %d ms): %d token events, behind the owner's stream by"
                + " %d ms on average, %d ms at most; the terminal event %d ms after the owner's%n", CHECKPOINT_MS, n, sum / n, worst,
                (r.last().arrivedNanos() - original.last().arrivedNanos()) / 1_000_000);
    }

    @Test
    void a_viewer_on_the_other_node_keeps_a_detached_answer_alive_past_its_grace() throws Exception {
        ChatClient onA = new ChatClient(a.base()).open();
        int aborted = upstream.aborted.get();
        // 2.5 grace periods of answer; its browser on node A leaves after the first tokens.
        SseStream before = onA.chat(null, "Long [slow:150:100]", st -> st.count("token") >= 3);
        String id = before.first("start").data().get("messageId").asText();
        SseStream remote = onA.at(b.base()).resume(id, before.lastId(), x -> false);
        assertEquals("done", remote.last().name(), remote.names().toString());
        assertEquals("completed", remote.last().data().get("endReason").asText());
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            full.append("t").append(i).append(' ');
        }
        assertEquals(full.toString(), before.text() + remote.text());
        assertEquals(aborted, upstream.aborted.get(), "node A never gave the answer up");
    }

    @Test
    void after_kill_9_the_checkpointed_text_survives_a_resume_on_the_other_node_shows_it_and_it_can_be_continued() throws Exception {
        ChatClient onA = new ChatClient(a.base()).open();
        ChatClient onB = onA.at(b.base());
        AtomicReference<String> id = new AtomicReference<>();
        Future<SseStream> chat = pool.submit(() -> onA.chatAllowingCut(null, "Long [slow:400:25]", st -> {
            if (id.get() == null && st.count("token") == 1) {
                id.set(st.first("start").data().get("messageId").asText());
            }
            return false;
        }));
        await(id);
        Thread.sleep(3 * CHECKPOINT_MS + 300);
        long killedAt = System.nanoTime();
        a.kill();
        SseStream cut = chat.get(30, TimeUnit.SECONDS);

        String shown = textBefore(cut, killedAt);
        String shownAnIntervalBefore = textBefore(cut, killedAt - TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MS));
        String stored = (String) rows.one("SELECT content FROM message WHERE id = ?", id.get()).get("content");
        assertTrue(shown.startsWith(stored), "the stored text is what the browser was shown, up to a point");
        assertTrue(stored.length() >= shownAnIntervalBefore.length(), "stored " + stored.length() + " chars, shown one interval before the kill "
                + shownAnIntervalBefore.length());
        long lostMs = (killedAt - reachedAt(cut, stored.length())) / 1_000_000;
        System.out.printf("[ResumeAcrossNodesIT] kill -9 mid-answer (checkpoint %d ms): browser had %d chars, the row kept %d: %d chars"
                + " lost, the last %d ms of the stream%n", CHECKPOINT_MS, shown.length(), stored.length(), shown.length() - stored.length(), lostMs);

        // The surviving node shows the checkpointed text at once, and the answer's end once the killed node is back.
        AtomicReference<Long> firstText = new AtomicReference<>();
        Future<SseStream> onSurvivor = pool.submit(() -> onB.resume(id.get(), null, x -> {
            if (firstText.get() == null && x.count("token") == 1) {
                firstText.set(System.nanoTime());
            }
            return false;
        }));
        long t0 = System.nanoTime();
        while (firstText.get() == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(10);
        }
        assertTrue(firstText.get() != null, "the surviving node sent the checkpointed text while the answer's node was down");
        a.launch();
        SseStream survivor = onSurvivor.get(30, TimeUnit.SECONDS);
        assertEquals(stored, survivor.text());
        assertEquals("error", survivor.last().name());
        JsonNode end = survivor.last().data();
        assertEquals("interrupted", end.get("endReason").asText(), end.toString());
        assertEquals("node_restart", end.get("code").asText());

        Map<String, Object> u = rows.endedUsage(id.get(), 5_000);
        assertEquals("interrupted", u.get("message_status"));
        assertEquals(stored, u.get("message_content"));
        String conversation = (String) u.get("conversation_id");
        JsonNode history = onB.getJson("api/conversations/" + conversation);
        JsonNode answer = history.get("messages").get(1);
        assertEquals("interrupted", answer.get("status").asText());
        assertEquals(stored, answer.get("content").asText());
        String transcript = new AdminClient(b.base()).signedIn(ADMIN, ADMIN_PASSWORD).get("admin/conversations/" + conversation).body();
        assertTrue(transcript.contains(stored.strip()), "the admin transcript shows the checkpointed text");
        var more = onB.send(onB.post("api/chat", "{\"conversationId\":\"" + conversation + "\",\"continueOf\":\"" + id.get() + "\"}")
                .build());
        assertEquals(200, more.statusCode(), "Continue is offered for the interrupted answer: " + more.body());
        assertTrue(more.body().contains("event: done"), more.body());
    }

    /** The answer text of the events that arrived before {@code nanos}. */
    private static String textBefore(SseStream s, long nanos) {
        StringBuilder b = new StringBuilder();
        s.events.stream().filter(e -> e.name().equals("token") && e.arrivedNanos() < nanos).forEach(e -> b.append(e.data().get("text").asText()));
        return b.toString();
    }

    /** When {@code s} had delivered {@code chars} characters of text. */
    private static long reachedAt(SseStream s, int chars) {
        int t = 0;
        for (SseStream.Event e : s.events) {
            if (e.name().equals("token")) {
                t += e.data().get("text").asText().length();
            }
            if (t >= chars) {
                return e.arrivedNanos();
            }
        }
        throw new AssertionError("the stream never reached " + chars + " chars");
    }

    private static int textEnd(SseStream.Event e) {
        return Integer.parseInt(e.id().substring(e.id().indexOf('.') + 1));
    }

    private static void await(AtomicReference<String> id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (id.get() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no tokens within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
