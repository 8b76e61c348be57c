package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.Map;
import org.chatrelay.admin.auth.PasswordHash;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access rules of /admin on the built WAR (docs/security-checklist.md S19-S22): who gets in, how, and what the
 * session does.
 */
class AdminAccessIT {
    static final String USER = "root-admin";
    static final String PASSWORD = "correct horse battery staple";
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("admin-access").demo()
            .settings(Map.of("chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD));

    @BeforeAll
    static void viewer() {
        OffsetDateTime now = OffsetDateTime.now();
        TestDb.update(app.dbUrl, "sa", "", "INSERT INTO admin_account (username, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                "viewer", PasswordHash.create("viewer-password".toCharArray()).encoded(), "viewer", now, now);
    }

    AdminClient client() {
        return new AdminClient(app.base());
    }

    @Test
    void anonymous_admin_pages_redirect_to_the_login_page() throws Exception {
        AdminClient c = client();
        for (String path : new String[] {"admin", "admin/", "admin/export/usage.csv", "admin/conversations", "admin/conversations/x"}) {
            HttpResponse<String> r = c.get(path);
            assertEquals(302, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login"), path + " -> " + r.headers().map());
        }
        HttpResponse<String> page = c.get("login");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("name=\"j_password\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    }

    @Test
    void the_admin_signs_in_and_lands_on_the_page_that_asked_for_it_with_a_new_session_id() throws Exception {
        AdminClient c = client();
        c.get("admin/conversations");
        String before = c.sessionCookie().map(HttpCookie::getValue).orElseThrow();
        HttpResponse<String> r = c.login(USER, PASSWORD);
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/admin/conversations"), r.headers().map().toString());
        String after = c.sessionCookie().map(HttpCookie::getValue).orElseThrow();
        assertNotEquals(before, after, "the session id is renewed at login");
        HttpResponse<String> page = c.get("admin/conversations");
        assertEquals(200, page.statusCode());
    }

    @Test
    void the_session_cookie_is_http_only_and_same_site_strict() throws Exception {
        AdminClient c = client();
        HttpResponse<String> r = c.get("admin");
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(!r.headers().firstValue("Location").orElse("").contains(";jsessionid"), "never in URLs");
    }

    @Test
    void a_user_without_the_admin_role_gets_403_on_pages_and_csv() throws Exception {
        AdminClient c = client().signedIn("viewer", "viewer-password");
        assertEquals(403, c.get("admin").statusCode());
        assertEquals(403, c.get("admin/export/usage.csv").statusCode());
        assertEquals(403, c.get("admin/conversations").statusCode());
    }

    @Test
    void logout_ends_the_session_and_the_old_cookie_leads_back_to_the_login_page() throws Exception {
        AdminClient c = client().signedIn(USER, PASSWORD);
        HttpCookie old = c.sessionCookie().orElseThrow();
        assertEquals(200, c.get("admin").statusCode());
        HttpResponse<String> out = c.postForm("admin/logout", c.origin());
        assertEquals(302, out.statusCode());
        assertTrue(out.headers().firstValue("Location").orElse("").contains("/login"));
        AdminClient replay = client();
        replay.cookies.getCookieStore().add(app.base(), old);
        HttpResponse<String> r = replay.get("admin");
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login"));
    }

    @Test
    void a_login_post_from_another_origin_is_refused() throws Exception {
        AdminClient c = client();
        HttpResponse<String> r = c.postForm("login", "https://evil.example", "j_username", USER, "j_password", PASSWORD);
        assertEquals(403, r.statusCode());
        assertEquals(302, c.get("admin").statusCode(), "not signed in");
        HttpResponse<String> fetchSite = c.send(java.net.http.HttpRequest.newBuilder(app.base().resolve("login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("j_username=" + USER + "&j_password=x")));
        assertEquals(403, fetchSite.statusCode());
        assertEquals(403, nullOrigin(c, null).statusCode(), "Origin: null alone proves nothing");
        assertEquals(403, nullOrigin(c, "cross-site").statusCode());
        assertEquals(302, c.get("admin").statusCode(), "not signed in");
        HttpResponse<String> ok = nullOrigin(c, "same-origin");
        assertEquals(302, ok.statusCode(), "a browser's own form under no-referrer: Origin null, Sec-Fetch-Site same-origin");
        assertTrue(ok.headers().firstValue("Location").orElse("").endsWith("/admin"));
    }

    static HttpResponse<String> nullOrigin(AdminClient c, String fetchSite) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(app.base().resolve("login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "null")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("j_username=" + USER + "&j_password="
                        + java.net.URLEncoder.encode(PASSWORD, java.nio.charset.StandardCharsets.UTF_8)));
        if (fetchSite != null) {
            b.header("Sec-Fetch-Site", fetchSite);
        }
        return c.send(b);
    }

    @Test
    void j_security_check_cannot_bypass_the_guarded_login() throws Exception {
        AdminClient c = client();
        c.get("admin");
        HttpResponse<String> r = c.postForm("j_security_check", "https://evil.example", "j_username", USER, "j_password", PASSWORD);
        assertTrue(r.headers().firstValue("Location").orElse("").contains("/login?error"), r.statusCode() + " " + r.headers().map());
        assertEquals(302, c.get("admin").statusCode(), "still not signed in");
    }

    @Test
    void put_delete_and_trace_are_refused_everywhere() throws Exception {
        AdminClient admin = client().signedIn(USER, PASSWORD);
        AdminClient anonymous = client();
        for (String path : new String[] {"", "login", "admin", "admin/export/usage.csv", "admin/conversations", "css/admin.css", "api/chat"}) {
            for (String method : new String[] {"PUT", "DELETE", "TRACE"}) {
                for (AdminClient c : new AdminClient[] {admin, anonymous}) {
                    int status = c.method(method, path).statusCode();
                    assertTrue(status == 405 || status == 403 || ((status == 302 || status == 303) && c == anonymous && path.startsWith("admin")),
                            method + " /" + path + " gave " + status);
                }
            }
        }
    }

    @Test
    void the_stored_credential_is_a_salted_slow_hash() {
        String stored = (String) app.rows.one("SELECT password_hash FROM admin_account WHERE username = ?", USER).get("password_hash");
        assertTrue(stored.startsWith("pbkdf2-sha256$600000$"), stored);
        assertTrue(!stored.contains(PASSWORD) && !stored.startsWith("MD5:") && !stored.startsWith("CRYPT:"));
    }
}
