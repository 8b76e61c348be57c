package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S13: the same security headers on every response the app makes (pages, static files, JSON,
 * the event stream, error pages, operations endpoints), a charset on every text type, and HSTS exactly when the request
 * came over TLS, here as a proxy says it with X-Forwarded-Proto (Jetty's ForwardedRequestCustomizer, as in
 * jetty-config). The production connector's missing Server header is
 * StandaloneJettyIT#no_response_names_the_server_or_its_version.
 */
class HeadersIT {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClassBehindProxy("headers-it", Map.of());

    @Test
    void every_kind_of_response_carries_the_csp_nosniff_no_referrer_no_framing_and_a_charset() throws Exception {
        ChatClient visitor = app.visitor();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String path : List.of("", "c/00000000-0000-4000-8000-000000000000", "js/chat.js", "js/sse.js", "css/app.css",
                "no-such-page", "js/no-such.js", "api/conversations/nope", "healthz", "readyz", "metrics", "error")) {
            responses.add(visitor.get(path));
        }
        responses.add(visitor.send(visitor.post("api/chat", ChatClient.body(null, "headers on a stream")).build()));
        responses.add(visitor.send(visitor.post("api/chat", "{oops").build()));
        responses.add(visitor.send(visitor.post("api/chat", "{}").setHeader("X-CSRF-Token", "forged").build()));
        responses.add(visitor.send(HttpRequest.newBuilder(app.base().resolve("api/chat")).DELETE().build()));
        for (HttpResponse<String> r : responses) {
            String what = r.request().method() + " " + r.uri().getPath() + " (" + r.statusCode() + ")";
            assertEquals(CSP, header(r, "Content-Security-Policy"), what);
            assertFalse(CSP.contains("unsafe"), "no unsafe-inline or unsafe-eval");
            assertEquals("nosniff", header(r, "X-Content-Type-Options"), what);
            assertEquals("no-referrer", header(r, "Referrer-Policy"), what);
            assertEquals("DENY", header(r, "X-Frame-Options"), what);
            assertFalse(r.headers().firstValue("Strict-Transport-Security").isPresent(), what + ": HSTS over plain HTTP");
            String type = header(r, "Content-Type").toLowerCase().replace(" ", "");
            if (type.startsWith("text/") || type.startsWith("application/json") || type.contains("javascript")) {
                assertTrue(type.contains("charset=utf-8"), what + " has no charset: " + type);
            }
        }
    }

    @Test
    void hsts_is_sent_when_the_request_came_over_tls_and_only_then() throws Exception {
        ChatClient visitor = new ChatClient(app.base());
        for (String path : List.of("", "js/chat.js", "no-such-page", "api/conversations/nope", "healthz")) {
            HttpResponse<String> tls = visitor.send(HttpRequest.newBuilder(app.base().resolve(path)).header("X-Forwarded-Proto", "https").build());
            assertEquals("max-age=31536000; includeSubDomains", header(tls, "Strict-Transport-Security"), path);
            assertEquals(CSP, header(tls, "Content-Security-Policy"), path);
            HttpResponse<String> plain = visitor.send(HttpRequest.newBuilder(app.base().resolve(path)).header("X-Forwarded-Proto", "http").build());
            assertFalse(plain.headers().firstValue("Strict-Transport-Security").isPresent(), path);
        }
    }

    @Test
    void the_visitor_cookie_is_http_only_same_site_lax_and_secure_over_tls() throws Exception {
        HttpResponse<String> plain = new ChatClient(app.base()).get("");
        String cookie = header(plain, "Set-Cookie");
        assertTrue(cookie.startsWith("cr_visitor="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertFalse(cookie.contains("Secure"), "no Secure flag over plain HTTP, or the cookie would never come back: " + cookie);
        HttpResponse<String> tls = new ChatClient(app.base()).send(HttpRequest.newBuilder(app.base()).header("X-Forwarded-Proto", "https").build());
        assertTrue(header(tls, "Set-Cookie").contains("Secure"), header(tls, "Set-Cookie"));
    }

    /**
     * docs/security-checklist.md S19's "Secure in prod" and idle timeout, beside AdminAccessIT's tests of the admin
     * session (renewal, HttpOnly, Strict).
     */
    @Test
    void the_admin_session_cookie_is_secure_over_tls_and_the_session_idles_out_after_30_minutes() throws Exception {
        HttpResponse<String> tls = new ChatClient(app.base()).send(HttpRequest.newBuilder(app.base().resolve("admin"))
                .header("X-Forwarded-Proto", "https").build());
        String session = tls.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + tls.headers().map()));
        assertTrue(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Strict"), session);
        HttpResponse<String> plain = new ChatClient(app.base()).get("admin");
        assertFalse(plain.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("JSESSIONID=") && c.contains("Secure")));
        try (java.util.zip.ZipFile war = new java.util.zip.ZipFile(org.chatrelay.testing.TestApp.warFile())) {
            String webXml = new String(war.getInputStream(war.getEntry("WEB-INF/web.xml")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(webXml.contains("<session-timeout>30</session-timeout>"), "the admin idle timeout is 30 minutes");
            assertTrue(webXml.contains("<tracking-mode>COOKIE</tracking-mode>"), "session ids never in URLs");
        }
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError(r.request().method() + " " + r.uri()
                + " (" + r.statusCode() + ") has no " + name + "; headers " + r.headers().map()));
    }
}
