package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Nginx;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's nginx with jetty-config/nginx in front of a standalone node: the browser's view of a stream through the
 * proxy. Proxy buffering is the classic way to break streaming; these tests fail if any buffering creeps in.
 * The heartbeat test shortens {@code proxy_read_timeout} to 3 s (heartbeat 1 s), so it needs no minute-long wait.
 */
class NginxStreamingIT {
    static FakeUpstream upstream;
    static BehindNginx front;
    static JettyNode node;
    static Nginx nginx;
    static Rows rows;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        String db = TestDb.h2File("nginx");
        rows = new Rows(db);
        front = BehindNginx.start("nginx", Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_DB_URL", db,
                "CHATRELAY_HEARTBEAT_MS", "1000",
                "CHATRELAY_FIRST_TOKEN_TIMEOUT_MS", "5000"), Map.of("proxy_read_timeout", "3s"), upstream);
        node = front.node();
        nginx = front.nginx;
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
    }

    @Test
    void tokens_arrive_one_by_one_through_nginx_not_in_a_burst() throws Exception {
        SseStream s = new ChatClient(nginx.base()).open().chat(null, "pace [slow:20:100]");
        assertEquals(200, s.status);
        assertEquals("completed", s.last().data().get("endReason").asText());
        List<SseStream.Event> tokens = s.events.stream().filter(e -> e.name().equals("token")).toList();
        assertEquals(20, tokens.size());
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            gaps.add((tokens.get(i).arrivedNanos() - tokens.get(i - 1).arrivedNanos()) / 1_000_000);
        }
        List<Long> sorted = new ArrayList<>(gaps);
        Collections.sort(sorted);
        System.out.printf("[NginxStreamingIT] 19 token gaps through nginx (upstream 100 ms apart): min %d, median %d, max %d ms%n",
                sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        long spread = (tokens.get(19).arrivedNanos() - tokens.get(0).arrivedNanos()) / 1_000_000;
        assertTrue(spread >= 1_500, "20 tokens 100 ms apart arrived within " + spread + " ms: buffered");
        assertTrue(gaps.stream().filter(g -> g >= 50).count() >= 15, "gaps " + gaps);
    }

    @Test
    void heartbeats_keep_a_silent_stream_open_longer_than_proxy_read_timeout() throws Exception {
        // The provider sends headers, then nothing: for 5 s (the first-token timeout) only the 1 s heartbeats cross
        // nginx, whose proxy_read_timeout is 3 s here. Without them nginx would cut the stream and no terminal
        // event would arrive.
        SseStream s = new ChatClient(nginx.base()).open().chat(null, "silence [hang]");
        assertEquals(200, s.status);
        assertEquals("error", s.last().name(), s.raw.toString());
        assertEquals("first_token_timeout", s.last().data().get("code").asText());
        long totalMs = s.last().data().get("totalMs").asLong();
        long heartbeats = s.raw.toString().lines().filter(l -> l.equals(": hb")).count();
        System.out.printf("[NginxStreamingIT] %d heartbeats kept a silent stream open through nginx for %d ms (proxy_read_timeout 3 s)%n",
                heartbeats, totalMs);
        assertTrue(totalMs >= 4_500, "ended after " + totalMs + " ms");
        assertTrue(heartbeats >= 2, "heartbeats seen: " + heartbeats);
    }

    @Test
    void a_browser_that_goes_away_aborts_the_provider_request_through_nginx() throws Exception {
        int abortedBefore = upstream.aborted.get();
        SseStream s = new ChatClient(nginx.base()).open().chat(null, "endless [forever:0:100]", st -> st.count("token") >= 3);
        long closedAt = System.nanoTime();
        String messageId = s.first("start").data().get("messageId").asText();

        assertTrue(upstream.awaitAborted(abortedBefore, 5_000), "the provider request was not aborted within 5 s");
        System.out.printf("[NginxStreamingIT] browser closed -> provider request aborted through nginx in %.1f ms%n",
                (upstream.lastAbortNanos - closedAt) / 1e6);
        Map<String, Object> u = rows.endedUsage(messageId, 5_000);
        assertEquals("client_gone", u.get("end_reason"));
        assertTrue(((String) u.get("message_content")).startsWith("tick tick tick"), "partial answer kept: " + u.get("message_content"));
    }

    @Test
    void nginx_names_no_version_and_does_not_serve_the_metrics() throws Exception {
        ChatClient viaNginx = new ChatClient(nginx.base());
        var page = viaNginx.get("");
        assertEquals(200, page.statusCode());
        assertEquals("nginx", page.headers().firstValue("Server").orElseThrow());
        assertEquals(404, viaNginx.get("metrics").statusCode());
        assertEquals(200, viaNginx.get("readyz").statusCode());
        assertEquals(200, new ChatClient(node.base()).get("metrics").statusCode());
        assertNull(page.headers().firstValue("X-Powered-By").orElse(null));
    }
}
