package org.chatrelay.security;

import static org.chatrelay.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S29: another origin gets no {@code Access-Control-Allow-Origin} (never {@code *}, never
 * with credentials) and its preflight is refused; only an origin on {@code CHATRELAY_CORS_ALLOWED_ORIGINS} is answered,
 * with itself and credentials, and it still needs the visitor's CSRF token to post.
 */
class CorsIT {
    static final String LISTED = "https://app.example.com";

    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("cors-it",
            Map.of("chatrelay.cors.allowed.origins", LISTED + ", https://other.example.org:8443"));

    @Test
    void another_origin_gets_no_cors_header_on_any_path_and_its_preflight_is_refused() throws Exception {
        ChatClient visitor = app.visitor();
        for (String path : List.of("", "api/conversations/00000000-0000-4000-8000-000000000000", "js/chat.js", "healthz", "no-such")) {
            HttpResponse<String> r = visitor.send(HttpRequest.newBuilder(app.base().resolve(path)).header("Origin", "https://evil.example").GET().build());
            assertNoCors(r, path);
        }
        HttpResponse<String> preflight = visitor.send(preflight("https://evil.example"));
        assertNoCors(preflight, "preflight");
        Refusals.assertJsonError(preflight, 403, "cors");
        // And the post itself, should a browser send it anyway, is refused as cross-site.
        HttpResponse<String> post = visitor.send(visitor.post("api/chat", ChatClient.body(null, "hi")).setHeader("Origin", "https://evil.example").build());
        assertNoCors(post, "post");
        assertEquals(403, post.statusCode());
    }

    @Test
    void a_listed_origin_gets_itself_and_credentials_back_never_a_wildcard() throws Exception {
        ChatClient visitor = app.visitor();
        HttpResponse<String> preflight = visitor.send(preflight(LISTED));
        assertEquals(204, preflight.statusCode());
        assertEquals(LISTED, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElseThrow());
        assertEquals("GET, POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("X-CSRF-Token"));
        assertTrue(preflight.headers().allValues("Vary").contains("Origin"));

        HttpResponse<String> other = visitor.send(preflight("https://other.example.org:8443"));
        assertEquals("https://other.example.org:8443", other.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

        // The listed front end posts with the visitor's cookie and token, like the page itself.
        int sent = app.sentUpstream();
        HttpResponse<String> chat = visitor.send(visitor.post("api/chat", ChatClient.body(null, "from the front end")).setHeader("Origin", LISTED).build());
        assertEquals(200, chat.statusCode(), chat.body());
        assertEquals(LISTED, chat.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals(sent + 1, app.sentUpstream());
        // …but never without the token.
        assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(null, "x")).setHeader("Origin", LISTED).setHeader("X-CSRF-Token", "forged"),
                403, "csrf");
    }

    private HttpRequest preflight(String origin) {
        return HttpRequest.newBuilder(app.base().resolve("api/chat")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-csrf-token").build();
    }

    private static void assertNoCors(HttpResponse<String> r, String what) {
        for (String h : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods")) {
            assertFalse(r.headers().firstValue(h).isPresent(), what + " sent " + h + ": " + r.headers().firstValue(h));
        }
    }
}
