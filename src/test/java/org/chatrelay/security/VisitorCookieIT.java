package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The visitor cookie is signed by the server (an id it never issued is refused and replaced, so knowing a visitor's
 * id is not enough to read their conversations) and, over TLS, {@code __Host-} prefixed (a sibling subdomain or an
 * injected plain-HTTP response cannot plant one). TLS is what the proxy says with X-Forwarded-Proto, as behind nginx.
 */
class VisitorCookieIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClassBehindProxy("visitor-cookie-it", Map.of());
    /** No cookie jar: each request carries exactly the cookie the test chose. */
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String SIGNED = "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}";

    @Test
    void an_id_the_server_never_issued_is_replaced_and_sees_none_of_the_visitors_conversations() throws Exception {
        ChatClient victim = app.visitor();
        String conversation = victim.chat(null, "my private question").first("start").data().get("conversationId").asText();
        String issued = victim.cookie("cr_visitor");
        assertTrue(issued.matches(SIGNED), issued);
        assertTrue(get("api/conversations", "cr_visitor=" + issued, false).body().contains(conversation), "the signed cookie is the visitor");
        assertTrue(get("", "cr_visitor=" + issued, false).headers().allValues("Set-Cookie").isEmpty(), "a signed id is kept");

        String id = victim.visitorId();
        String forgedSignature = "A".repeat(43);
        // The bare id is also what every cookie looked like before they were signed: such a visitor starts afresh.
        for (String planted : List.of(id, id + ".", id + "." + forgedSignature, "B".repeat(22) + issued.substring(22), issued + "x")) {
            HttpResponse<String> r = get("api/conversations", "cr_visitor=" + planted, false);
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains(conversation), planted + " read the visitor's conversations: " + r.body());
            String replacement = cookie(r, "cr_visitor=");
            assertTrue(replacement.matches("cr_visitor=" + SIGNED + ";.*"), replacement);
            assertFalse(replacement.contains(id), "the planted id was kept: " + replacement);
        }
    }

    @Test
    void over_tls_the_cookie_is_host_prefixed_secure_for_the_whole_host_and_a_plain_one_is_no_longer_read() throws Exception {
        String set = cookie(get("", null, true), "__Host-cr_visitor=");
        String lower = set.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("; secure"), set);
        assertTrue(lower.contains("; path=/;") || lower.endsWith("; path=/"), set);
        assertTrue(lower.contains("httponly") && lower.contains("samesite=lax"), set);
        assertFalse(lower.contains("domain="), "a Domain attribute would make the browser refuse a __Host- cookie: " + set);
        String hostValue = set.substring("__Host-cr_visitor=".length(), set.indexOf(';'));
        assertTrue(get("", "__Host-cr_visitor=" + hostValue, true).headers().allValues("Set-Cookie").isEmpty(), "kept over TLS");

        // A plain cookie this server did sign (over plain HTTP, or planted by a sibling subdomain) is no identity over TLS.
        String plainValue = cookie(get("", null, false), "cr_visitor=");
        plainValue = plainValue.substring("cr_visitor=".length(), plainValue.indexOf(';'));
        HttpResponse<String> r = get("", "cr_visitor=" + plainValue, true);
        String fresh = cookie(r, "__Host-cr_visitor=");
        assertNotEquals(plainValue.substring(0, 22), fresh.substring("__Host-cr_visitor=".length(), "__Host-cr_visitor=".length() + 22));
        assertTrue(cookie(r, "cr_visitor=").contains("Max-Age=0"), "the old plain cookie is dropped: " + r.headers().allValues("Set-Cookie"));
    }

    static HttpResponse<String> get(String path, String cookie, boolean tls) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.base().resolve(path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (tls) {
            b.header("X-Forwarded-Proto", "https");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie(HttpResponse<String> r, String prefix) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + prefix + " in " + r.headers().allValues("Set-Cookie")));
    }
}
