package org.chatrelay.security;

import static org.chatrelay.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpRequest;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S1 (cross-site POST), S2 (the CSRF token: missing, wrong, another visitor's; the right one
 * streams) and S3 (the content types of an HTML form or a "simple" cross-site fetch get 415). Every refusal is checked
 * to have sent nothing upstream and stored nothing.
 */
class CsrfIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("csrf-it", Map.of());
    ChatClient visitor;

    @BeforeEach
    void newVisitor() throws Exception {
        visitor = app.visitor();
    }

    @Test
    void a_post_from_another_site_is_refused_with_403_csrf_before_anything_is_stored_or_sent() throws Exception {
        String body = ChatClient.body(null, "transfer everything");
        for (String origin : new String[] {"https://evil.example", "null", app.base().toString().replace("127.0.0.1", "localhost"),
                "http://127.0.0.1:" + (app.base().getPort() + 1)}) {
            assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("Origin", origin), 403, "csrf");
        }
        // No Origin at all (some old browsers): only a browser's own word that the request is same-origin will do.
        assertRefused(app, visitor, withoutOrigin(body).header("Sec-Fetch-Site", "cross-site"), 403, "csrf");
        assertRefused(app, visitor, withoutOrigin(body).header("Sec-Fetch-Site", "same-site"), 403, "csrf");
        assertRefused(app, visitor, withoutOrigin(body), 403, "csrf");
        // Stop is state-changing too.
        assertRefused(app, visitor, visitor.post("api/chat/stop", "{\"messageId\":\"00000000-0000-4000-8000-000000000000\"}")
                .setHeader("Origin", "https://evil.example"), 403, "csrf");
    }

    @Test
    void a_same_origin_post_without_or_with_a_wrong_token_is_refused_and_the_right_token_streams() throws Exception {
        String body = ChatClient.body(null, "hello");
        assertRefused(app, visitor, withoutToken(body), 403, "csrf");
        assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("X-CSRF-Token", ""), 403, "csrf");
        assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("X-CSRF-Token", "forged"), 403, "csrf");
        String token = visitor.csrfToken();
        assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("X-CSRF-Token", token.substring(1)), 403, "csrf");
        assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("X-CSRF-Token", token + "A"), 403, "csrf");

        // A token is bound to its visitor: another visitor's valid token is worthless here.
        ChatClient other = app.visitor();
        assertNotEquals(token, other.csrfToken());
        assertRefused(app, visitor, visitor.post("api/chat", body).setHeader("X-CSRF-Token", other.csrfToken()), 403, "csrf");

        int sent = app.sentUpstream();
        SseStream ok = visitor.chat(null, "hello");
        assertEquals(200, ok.status);
        assertEquals("done", ok.last().name());
        assertEquals(sent + 1, app.sentUpstream());
    }

    @Test
    void form_and_text_bodies_are_refused_with_415_so_no_simple_cross_site_request_gets_through() throws Exception {
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x"}) {
            assertRefused(app, visitor, visitor.post("api/chat", "{\"message\":\"hi\"}").setHeader("Content-Type", type),
                    415, "unsupported_media_type");
        }
        assertRefused(app, visitor, withoutContentType(), 415, "unsupported_media_type");
    }

    private HttpRequest.Builder withoutOrigin(String body) {
        return HttpRequest.newBuilder(app.base().resolve("api/chat")).header("Content-Type", "application/json")
                .header("X-CSRF-Token", visitor.csrfToken()).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder withoutToken(String body) {
        return HttpRequest.newBuilder(app.base().resolve("api/chat")).header("Content-Type", "application/json")
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder withoutContentType() {
        return HttpRequest.newBuilder(app.base().resolve("api/chat")).header("Origin", origin())
                .header("X-CSRF-Token", visitor.csrfToken()).POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}"));
    }

    private String origin() {
        return "http://127.0.0.1:" + app.base().getPort();
    }
}
