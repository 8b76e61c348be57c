package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Nginx;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through Debian's nginx with the shipped jetty-config/nginx, in front of a node built from jetty-config: a script that
 * makes up an X-Forwarded-For (and an RFC 7239 Forwarded) and starts from a fresh cookie on every chat is still one
 * address. A fresh cookie is a fresh visitor, so the per-visitor limits never see it: the per-address limit is the
 * backstop, and it holds. Failed logins that name another address lock the sender's address, not the one they name.
 */
class NginxSpoofIT {
    static final int PER_ADDRESS = 30;
    static final int CHATS = 200;
    static final String PASSWORD = "spoof-test-password-1";
    static FakeUpstream upstream;
    static BehindNginx front;
    static JettyNode node;
    static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        front = BehindNginx.start("spoof", Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl(),
                "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_DB_URL", TestDb.h2File("spoof"),
                "CHATRELAY_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", Integer.toString(PER_ADDRESS),
                "CHATRELAY_ADMIN_USER", "ops",
                "CHATRELAY_ADMIN_PASSWORD", PASSWORD), Map.of(), upstream);
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
    void two_hundred_chats_with_made_up_addresses_and_fresh_cookies_are_stopped_by_the_per_address_limit() throws Exception {
        int sentBefore = upstream.requests.size();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        long t0 = System.nanoTime();
        // Eight at a time: the whole run has to fit in the limit's one-minute window on a busy machine.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> chats = new ArrayList<>();
            for (int i = 0; i < CHATS; i++) {
                int n = i;
                chats.add(pool.submit(() -> {
                    ChatClient fresh = new ChatClient(nginx.base()).open();
                    HttpResponse<String> r = fresh.send(fresh.post("api/chat", ChatClient.body(null, "chat " + n))
                            .header("X-Forwarded-For", randomAddress()).header("Forwarded", "for=" + randomAddress()).build());
                    if (r.statusCode() == 200) {
                        answered.incrementAndGet();
                    } else if (r.statusCode() == 429 && r.body().contains("\"rate_limited\"")) {
                        limited.incrementAndGet();
                    } else {
                        throw new AssertionError("chat " + n + ": " + r.statusCode() + " " + r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> chat : chats) {
                chat.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        System.out.printf("[NginxSpoofIT] %d chats with random X-Forwarded-For and fresh cookies in %d s: %d answered, %d rate_limited%n",
                CHATS, seconds, answered.get(), limited.get());
        // The limit is per 60 s window: past a minute more would pass by right, and the counts below would prove nothing.
        assertTrue(seconds < 60, "the run took " + seconds + " s, longer than the limit's window");
        assertEquals(PER_ADDRESS, answered.get(), "answered chats");
        assertEquals(CHATS - PER_ADDRESS, limited.get(), "refused chats");
        assertEquals(PER_ADDRESS, upstream.requests.size() - sentBefore, "requests that reached the provider");
    }

    @Test
    void failed_logins_naming_another_address_lock_the_sender_and_not_the_named_address() throws Exception {
        String victim = "127.0.0.2";
        HttpClient attacker = HttpClient.newHttpClient();
        for (int i = 0; i < 25; i++) {
            // A new username each time: only the per-address lock (20 failures) is aimed at.
            HttpResponse<String> r = attacker.send(HttpRequest.newBuilder(nginx.base().resolve("login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin())
                    .header("X-Forwarded-For", victim).header("Forwarded", "for=" + victim)
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=guess" + i + "&j_password=wrong")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login?error"), "attempt " + i + ": " + r.headers().map());
        }
        assertTrue(loginFrom(victim).endsWith("/admin"), "the named address still signs in");
        assertTrue(loginFrom("127.0.0.1").endsWith("/login?error"), "the sender's own address is the one locked");
        // Straight to the node, RFC 7239 Forwarded alone: Jetty must not take the address from it (forwarded.ini).
        HttpResponse<String> direct = attacker.send(HttpRequest.newBuilder(node.base().resolve("login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://127.0.0.1:" + node.port)
                .header("Forwarded", "for=198.51.100.77")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=direct&j_password=wrong")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, direct.statusCode(), direct.body());
        String log = node.log();
        assertFalse(log.contains("admin login failed (address " + victim + ")"), "the log names the made-up address");
        assertFalse(log.contains("throttled (address " + victim + ")"), "the log names the made-up address");
        assertTrue(log.contains("admin login failed (address 127.0.0.1)"), "the log names the sender");
        assertFalse(log.contains("198.51.100.77"), "Jetty took the address from Forwarded");
    }

    /** The right password from a connection whose source address is {@code from}; returns the redirect's Location. */
    static String loginFrom(String from) throws Exception {
        String body = "j_username=ops&j_password=" + PASSWORD;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", nginx.port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + nginx.port + "\r\nOrigin: " + origin()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 302"), head);
            return head.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).map(l -> l.substring(9).trim()).findFirst()
                    .orElseThrow(() -> new AssertionError("no Location: " + head));
        }
    }

    static String head(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            b.write(c);
            if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static String origin() {
        return "http://127.0.0.1:" + nginx.port;
    }

    static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return r.nextInt(1, 224) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }
}
