package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A standalone node stopped with SIGTERM (as systemd does) and killed with -9, each in the middle of answers. */
class GracefulShutdownIT {
    static FakeUpstream upstream;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = new FakeUpstream();
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        upstream.close();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    static Map<String, String> env(String db, String nodeId) {
        return Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_DB_URL", db,
                "CHATRELAY_NODE_ID", nodeId,
                "CHATRELAY_SHUTDOWN_GRACE_MS", "2500");
    }

    @Test
    void on_sigterm_new_chats_get_503_answers_finish_within_the_grace_and_the_rest_end_interrupted() throws Exception {
        String db = TestDb.h2File("graceful");
        try (JettyNode node = JettyNode.start("graceful", env(db, "graceful-1"))) {
            ChatClient client = new ChatClient(node.base()).open();
            CountDownLatch streaming = new CountDownLatch(2);
            Future<SseStream> shortAnswer = pool.submit(() -> client.chatAllowingCut(null, "short [slow:12:100]", firstToken(streaming)));
            Future<SseStream> endless = pool.submit(() -> client.chatAllowingCut(null, "endless [forever:0:100]", firstToken(streaming)));
            assertTrue(streaming.await(15, TimeUnit.SECONDS), "both answers streaming");
            try (Socket keptAlive = new Socket("127.0.0.1", node.port)) {
                long termAt = System.nanoTime();
                node.process().destroy();
                Thread.sleep(300);
                assertEquals("HTTP/1.1 503 Service Unavailable", rawChat(keptAlive, client), "a new chat while stopping");

                SseStream finished = shortAnswer.get(20, TimeUnit.SECONDS);
                SseStream interrupted = endless.get(20, TimeUnit.SECONDS);
                assertEquals("done", finished.last().name(), finished.raw.toString());
                assertEquals("completed", finished.last().data().get("endReason").asText());
                SseStream.Event end = interrupted.last();
                assertEquals("error", end.name(), interrupted.raw.toString());
                assertEquals("interrupted", end.data().get("endReason").asText());
                assertEquals("shutting_down", end.data().get("code").asText());
                assertTrue(end.data().get("retryable").asBoolean());
                long graceUsedMs = (end.arrivedNanos() - termAt) / 1_000_000;
                assertTrue(node.process().waitFor(40, TimeUnit.SECONDS), "node exited");
                System.out.printf("[GracefulShutdownIT] SIGTERM -> interrupted event after %d ms (grace 2500 ms), process exit code %d after %d ms%n",
                        graceUsedMs, node.process().exitValue(), (System.nanoTime() - termAt) / 1_000_000);
                assertTrue(graceUsedMs >= 2_300, "the endless answer got only " + graceUsedMs + " ms");

                Rows rows = new Rows(db);
                Map<String, Object> u = rows.endedUsage(end.data().get("messageId").asText(), 5_000);
                assertEquals("interrupted", u.get("end_reason"));
                assertEquals("interrupted", u.get("message_status"));
                assertEquals("shutting_down", u.get("error_code"));
                assertEquals(interrupted.text(), u.get("message_content"), "the partial answer is stored as the browser saw it");
                assertEquals("completed", rows.endedUsage(finished.last().data().get("messageId").asText(), 5_000).get("end_reason"));
                assertConsistent(rows);
            }
        }
    }

    @Test
    void after_kill_9_mid_answer_a_restart_marks_it_interrupted_and_the_conversation_goes_on() throws Exception {
        String db = TestDb.h2File("crash");
        try (JettyNode node = JettyNode.start("crash", env(db, "crash-1"))) {
            ChatClient client = new ChatClient(node.base()).open();
            String conversation = client.chat(null, "first").first("start").data().get("conversationId").asText();
            CountDownLatch streaming = new CountDownLatch(1);
            AtomicReference<String> messageId = new AtomicReference<>();
            Future<SseStream> cut = pool.submit(() -> client.chatAllowingCut(conversation, "endless [forever:0:100]", st -> {
                if (messageId.get() == null && st.count("token") >= 3) {
                    messageId.set(st.first("start").data().get("messageId").asText());
                    streaming.countDown();
                }
                return false;
            }));
            assertTrue(streaming.await(15, TimeUnit.SECONDS));

            node.kill();
            SseStream s = cut.get(10, TimeUnit.SECONDS);
            assertFalse(s.names().contains("done") || s.names().contains("error"), "no terminal event from a killed node: " + s.names());

            node.launch();
            System.out.printf("[GracefulShutdownIT] restart after kill -9: ready in %d ms%n", node.lastStartMillis());
            Rows rows = new Rows(db);
            Map<String, Object> u = rows.endedUsage(messageId.get(), 5_000);
            assertEquals("interrupted", u.get("end_reason"));
            assertEquals("interrupted", u.get("message_status"));
            assertEquals("node_restart", u.get("error_code"));
            assertConsistent(rows);

            SseStream again = client.chat(conversation, "are you back?");
            assertEquals("completed", again.last().data().get("endReason").asText());
            List<String> statuses = rows.query("SELECT status FROM message WHERE conversation_id = ? ORDER BY seq", conversation)
                    .stream().map(r -> (String) r.get("status")).toList();
            assertEquals(List.of("sent", "completed", "sent", "interrupted", "sent", "completed"), statuses);
        }
    }

    /** Nothing left streaming, and every answer has exactly one usage row that says how it ended. */
    static void assertConsistent(Rows rows) {
        assertEquals(0L, ((Number) rows.one("SELECT COUNT(*) AS n FROM message WHERE status = 'streaming'").get("n")).longValue());
        assertEquals(0L, ((Number) rows.one("SELECT COUNT(*) AS n FROM answer_usage WHERE end_reason IS NULL OR ended_at IS NULL").get("n")).longValue());
        assertEquals(0L, ((Number) rows.one("SELECT COUNT(*) AS n FROM message m WHERE m.role = 'assistant' AND "
                + "(SELECT COUNT(*) FROM answer_usage u WHERE u.message_id = m.id) <> 1").get("n")).longValue());
        assertEquals(0L, ((Number) rows.one("SELECT COUNT(*) AS n FROM message u WHERE u.role = 'user' AND NOT EXISTS "
                + "(SELECT 1 FROM message a WHERE a.conversation_id = u.conversation_id AND a.seq = u.seq + 1 AND a.role = 'assistant')").get("n")).longValue());
    }

    static java.util.function.Predicate<SseStream> firstToken(CountDownLatch latch) {
        return st -> {
            if (st.count("token") == 1 && st.last().name().equals("token")) {
                latch.countDown();
            }
            return false;
        };
    }

    /** A chat POST on a connection opened before the stop began: what a browser's kept-alive connection would get. */
    static String rawChat(Socket socket, ChatClient client) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(client.rawChatRequest(ChatClient.body(null, "a new chat while stopping")));
        out.flush();
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }
}
