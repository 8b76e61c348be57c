package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A refusal that leaves the request body unread must either keep the connection usable or say
 * {@code Connection: close}; closing a kept-alive connection unannounced fails the client's next request on it
 * ("header parser received no bytes"; AdminAccessIT once failed so). Each request here sends its headers and half
 * its body, reads the refusal, then sends the other half and a GET on the same connection: that is the race of a
 * body arriving late, made certain.
 */
class KeptAliveRefusalsIT {
    static final String FORM = "Content-Type: application/x-www-form-urlencoded\r\n";
    static final String JSON = "Content-Type: application/json\r\n";
    static final String CROSS_SITE = "Origin: https://evil.example\r\n";
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("kept-alive-it",
            Map.of("chatrelay.admin.user", "ops", "chatrelay.admin.password", "kept-alive-password-1"));

    @Test
    void a_login_post_from_another_origin() throws Exception {
        assertHonest("POST", "/login", FORM + CROSS_SITE, "j_username=ops&j_password=nope", 403);
    }

    @Test
    void a_chat_post_from_another_origin_or_without_a_csrf_token() throws Exception {
        String body = "{\"message\":\"" + "hello ".repeat(20) + "\"}";
        assertHonest("POST", "/api/chat", JSON + CROSS_SITE, body, 403);
        assertHonest("POST", "/api/chat", JSON, body, 403);
    }

    @Test
    void a_chat_body_over_the_limit() throws Exception {
        ChatClient visitor = app.visitor();
        String origin = app.base().getScheme() + "://" + app.base().getHost() + ":" + app.base().getPort();
        assertHonest("POST", "/api/chat", JSON + "Origin: " + origin + "\r\nCookie: cr_visitor=" + visitor.cookie("cr_visitor")
                + "\r\nX-CSRF-Token: " + visitor.csrfToken() + "\r\n", "{\"message\":\"" + "x".repeat(300 * 1024) + "\"}", 413, -1);
    }

    @Test
    void a_method_that_is_not_allowed_and_a_post_to_nowhere() throws Exception {
        assertHonest("PUT", "/api/chat", JSON, "{\"message\":\"" + "x".repeat(100) + "\"}", 405);
        assertHonest("POST", "/no-such-page", FORM, "a=" + "b".repeat(100), 405);
    }

    /**
     * Sends the request with half its body, checks the refusal, then proves the connection tells the truth.
     * @param headers header lines, each ending in CRLF
     */
    static void assertHonest(String method, String path, String headers, String body, int status) throws IOException {
        assertHonest(method, path, headers, body, status, body.getBytes(StandardCharsets.UTF_8).length / 2);
    }

    /**
     * @param first how much of the body goes out before the refusal is read; -1: all of it. A body over the limit but
     *              under JsonBody's drain limit is read to its end before the 413 (so the connection stays usable): the
     *              refusal only comes once it was all sent.
     */
    static void assertHonest(String method, String path, String headers, String body, int status, int first) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (first < 0) {
            first = bytes.length;
        }
        try (Socket s = new Socket(app.base().getHost(), app.base().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String host = app.base().getHost() + ":" + app.base().getPort();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Content-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, first);
            out.flush();
            Response refusal = Response.read(in);
            System.out.printf("[KeptAliveRefusalsIT] %s %s with %d bytes of its body:%n%s%n", method, path, first, refusal.head);
            assertEquals(status, refusal.status, method + " " + path + ": " + refusal.head);
            if (refusal.closes()) {
                // Only a body sent whole may be refused without closing: the drained over-limit body must keep it.
                assertTrue(first < bytes.length, method + " " + path + ": a body read to its end was refused with Connection: close:\n"
                        + refusal.head);
                return;
            }
            out.write(bytes, first, bytes.length - first);
            out.write(("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response next;
            try {
                next = Response.read(in);
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + ": the server closed the connection after its " + status
                        + " without Connection: close (" + e.getMessage() + "); the refusal was:\n" + refusal.head, e);
            }
            assertEquals(200, next.status, "the request after the refusal on the same connection: " + next.head);
        }
    }

    /** Just enough HTTP/1.1 to read one response: the head, then a Content-Length or chunked body. */
    record Response(int status, String head) {
        boolean closes() {
            return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        }

        static Response read(InputStream in) throws IOException {
            String head = line(in, true);
            if (head.isEmpty()) {
                throw new IOException("no response (end of stream)");
            }
            StringBuilder h = new StringBuilder(head);
            long length = -1;
            boolean chunked = false;
            for (String l = line(in, false); !l.isEmpty(); l = line(in, false)) {
                h.append("\r\n").append(l);
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(l.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in, false).split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line(in, false).split(";")[0].trim(), 16)) {
                    skip(in, size);
                    line(in, false);
                }
                line(in, false);
            } else if (length > 0) {
                skip(in, length);
            }
            return new Response(Integer.parseInt(head.split(" ")[1]), h.toString());
        }

        private static String line(InputStream in, boolean eofAllowed) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    if (eofAllowed && b.size() == 0) {
                        return "";
                    }
                    throw new IOException("end of stream inside a response");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        private static void skip(InputStream in, long n) throws IOException {
            for (long left = n; left > 0; left--) {
                if (in.read() == -1) {
                    throw new IOException("end of stream inside a body");
                }
            }
        }
    }
}
