package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Nginx;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy never cuts a retry (issue 12, item 4): a standalone node with the default heartbeat behind nginx with the
 * shipped jetty-config/nginx/chatrelay.conf, unchanged (proxy_read_timeout 60 s). The primary provider takes the
 * request and sends nothing for 70 s (its first-token timeout); then the backup answers. Before the answer's stream
 * opened early and carried heartbeats, nginx gave the browser its own 504 after 60 s while the relay went on and
 * paid for the backup's answer.
 */
class NginxRetryIT {
    static FakeUpstream primary;
    static FakeUpstream backup;
    static BehindNginx front;
    static Nginx nginx;
    static Rows rows;

    @BeforeAll
    static void start() throws Exception {
        primary = new FakeUpstream();
        backup = new FakeUpstream();
        Path dir = ProvidersFiles.dir("nginx-retry");
        Path providers = ProvidersFiles.write(dir, "providers.json", """
                {'defaultModel': 'chat',
                 'providers': [
                  {'name': 'primary', 'baseUrl': '%s', 'models': [{'name': 'chat'}],
                   'timeouts': {'connectMs': 2000, 'firstTokenMs': 70000, 'idleMs': 90000, 'totalMs': 120000},
                   'retry': {'maxAttempts': 1}},
                  {'name': 'backup', 'baseUrl': '%s', 'models': [{'name': 'chat'}], 'retry': {'maxAttempts': 1}}]}
                """.formatted(primary.baseUrl(), backup.baseUrl()));
        String db = TestDb.h2File("nginx-retry");
        rows = new Rows(db);
        front = BehindNginx.start("nginx-retry", Map.of(
                "CHATRELAY_PROVIDERS_FILE", providers.toString(),
                "CHATRELAY_DB_URL", db), Map.of(), primary, backup);
        nginx = front.nginx;
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
    }

    @Test
    void a_provider_that_hangs_70_s_before_the_fallback_answers_still_reaches_the_browser_as_an_answer() throws Exception {
        primary.plan("late", Reply.hangBeforeHeaders());
        backup.plan("late", Reply.ok());
        long t0 = System.nanoTime();
        SseStream s = new ChatClient(nginx.base()).open().chat(null, "hello [plan:late]");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, s.status, "nginx answered for the relay: " + s.raw);
        assertEquals(List.of("start", "token", "done"), s.shape());
        assertEquals("Hello world", s.text());
        assertTrue(ms >= 70_000, "the primary's 70 s were not waited out: " + ms + " ms");
        long heartbeats = s.raw.toString().lines().filter(l -> l.equals(": hb")).count();
        assertTrue(heartbeats >= 60, "heartbeats while connecting: " + heartbeats);
        Map<String, Object> u = rows.endedUsage(s.first("start").data().get("messageId").asText(), 5_000);
        assertEquals("completed", u.get("end_reason"));
        assertEquals("backup", u.get("provider"));
        System.out.printf("[NginxRetryIT] primary silent 70 s, backup answered through nginx (proxy_read_timeout 60 s) after %d ms,"
                + " %d heartbeats%n", ms, heartbeats);
    }

    @Test
    void a_browser_that_leaves_while_the_answer_connects_cancels_the_retries_at_once() throws Exception {
        primary.plan("leave", Reply.hangBeforeHeaders());
        backup.plan("leave", Reply.ok());
        // The stream opens after 2 s of connecting; the browser reads its start, then closes the tab.
        SseStream s = new ChatClient(nginx.base()).open().chat(null, "hello [plan:leave]", st -> st.count("start") == 1);
        long closedAt = System.nanoTime();
        String messageId = s.first("start").data().get("messageId").asText();
        Map<String, Object> u = rows.endedUsage(messageId, 10_000);
        long endedMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertEquals("client_gone", u.get("end_reason"));
        assertEquals(List.of("1 primary cancelled - client_gone"), rows.attempts((String) u.get("conversation_id")));
        assertEquals(0, backup.requestsFor("leave"), "the fallback was started for a browser that had left");
        System.out.printf("[NginxRetryIT] browser left while connecting -> answer ended as client_gone %d ms later%n", endedMs);
    }
}
