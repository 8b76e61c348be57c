package org.chatrelay.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.admin.AdminClient;
import org.chatrelay.gateway.keys.KeySecret;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.LogCapture;
import org.chatrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2 on the built WAR: the key admin API opens to the master key only, with exactly the contract;
 * the admin pages open to the FORM login only; neither door opens the other; no key reaches a log.
 */
class KeysAdminIT {
    static final String MASTER = "master-KEYS-canary-3b9d71e0c5aa4f62";
    static final String USER = "keys-admin";
    static final String PASSWORD = "keys admin password 1";
    static final ObjectMapper JSON = new ObjectMapper();
    static LogCapture log;
    static AppUnderTest app;

    @BeforeAll
    static void start() throws Exception {
        log = LogCapture.start();
        app = AppUnderTest.start("keys-admin", Map.of("chatrelay.gateway.master.key", MASTER,
                "chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        log.close();
    }

    AdminClient client() {
        return new AdminClient(app.base());
    }

    HttpResponse<String> api(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.base().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client().send(b);
    }

    JsonNode create(String body) throws Exception {
        HttpResponse<String> r = api("POST", "admin/api/keys", MASTER, body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode key = JSON.readTree(r.body());
        TestSecrets.remember(key.get("key").asText());
        return key;
    }

    @Test
    void post_creates_a_key_shown_once_get_lists_without_secrets_delete_revokes() throws Exception {
        JsonNode created = create("{\"name\":\"billing\",\"models\":[\"deepseek-v3.2\"],\"rpm\":60,\"maxStreams\":2,"
                + "\"dailyBudgetUsd\":5,\"monthlyBudgetUsd\":100.5,\"expiresAt\":\"2099-01-01T00:00:00Z\",\"storeContent\":true}");
        String id = created.get("id").asText();
        String key = created.get("key").asText();
        assertTrue(key.matches("crk-[0-9A-Za-z]{32}"), key);
        assertTrue(key.startsWith(created.get("prefix").asText()));
        assertEquals("billing", created.get("name").asText());
        assertEquals("[\"deepseek-v3.2\"]", created.get("models").toString());
        assertEquals(60, created.get("rpm").asInt());
        assertEquals(2, created.get("maxStreams").asInt());
        assertEquals("5", created.get("dailyBudgetUsd").asText());
        assertEquals("100.5", created.get("monthlyBudgetUsd").asText());
        assertEquals("2099-01-01T00:00:00Z", created.get("expiresAt").asText());
        assertTrue(created.get("storeContent").asBoolean());
        assertTrue(created.get("revokedAt").isNull());
        assertEquals(KeySecret.hash(key), app.rows.one("SELECT key_hash FROM gateway_key WHERE id = ?", id).get("key_hash"),
                "stored as its hash");

        HttpResponse<String> list = api("GET", "admin/api/keys", MASTER, null);
        assertEquals(200, list.statusCode());
        assertFalse(list.body().contains(key.substring(4)), "the list holds no secret");
        assertFalse(list.body().contains(KeySecret.hash(key)), "nor its hash");
        JsonNode listed = find(JSON.readTree(list.body()).get("keys"), id);
        assertNull(listed.get("key"));
        assertEquals(created.get("prefix"), listed.get("prefix"));

        assertEquals(204, api("DELETE", "admin/api/keys/" + id, MASTER, null).statusCode());
        JsonNode revoked = find(JSON.readTree(api("GET", "admin/api/keys", MASTER, null).body()).get("keys"), id);
        assertFalse(revoked.get("revokedAt").isNull(), revoked.toString());
        assertEquals(404, api("DELETE", "admin/api/keys/00000000-0000-4000-8000-000000000000", MASTER, null).statusCode());
    }

    @Test
    void a_bad_body_is_a_400_naming_the_field_and_nothing_is_stored() throws Exception {
        Object before = keyCount();
        for (String[] c : new String[][] {{"{\"rpm\":5}", "name"}, {"{\"name\":\"x\",\"rpm\":0}", "rpm"},
                {"{\"name\":\"x\",\"expiresAt\":\"soon\"}", "expiresAt"}, {"{\"name\":\"x\",\"admin\":true}", "admin"}}) {
            HttpResponse<String> r = api("POST", "admin/api/keys", MASTER, c[0]);
            assertEquals(400, r.statusCode(), c[0]);
            assertEquals(c[1], JSON.readTree(r.body()).get("error").get("field").asText(), r.body());
        }
        assertEquals(400, api("POST", "admin/api/keys", MASTER, "{oops").statusCode());
        HttpRequest.Builder text = HttpRequest.newBuilder(app.base().resolve("admin/api/keys"))
                .header("Authorization", "Bearer " + MASTER).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
        assertEquals(415, client().send(text).statusCode());
        assertEquals(before, keyCount());
    }

    @Test
    void the_api_refuses_no_wrong_or_near_master_key_and_an_admin_session() throws Exception {
        for (String bearer : new String[] {null, "wrong", MASTER.substring(0, MASTER.length() - 1), MASTER + "x", MASTER.toUpperCase()}) {
            for (String[] call : new String[][] {{"GET", "admin/api/keys", null}, {"POST", "admin/api/keys", "{\"name\":\"x\"}"},
                    {"DELETE", "admin/api/keys/00000000-0000-4000-8000-000000000000", null}}) {
                HttpResponse<String> r = api(call[0], call[1], bearer, call[2]);
                assertEquals(401, r.statusCode(), call[0] + " with " + bearer + ": " + r.body());
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().map().toString());
            }
        }
        AdminClient admin = client().signedIn(USER, PASSWORD);
        assertEquals(200, admin.get("admin").statusCode(), "signed in");
        assertEquals(401, admin.get("admin/api/keys").statusCode(), "a session cookie opens nothing under /admin/api");
        assertEquals(401, admin.send(HttpRequest.newBuilder(app.base().resolve("admin/api/keys")).header("Content-Type", "application/json")
                .header("Origin", admin.origin()).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"))).statusCode());
    }

    @Test
    void the_master_key_opens_no_admin_page_and_delete_stays_refused_elsewhere() throws Exception {
        for (String path : new String[] {"admin", "admin/keys", "admin/conversations"}) {
            assertToLogin(api("GET", path, MASTER, null), path);
        }
        assertToLogin(api("POST", "admin/keys", MASTER, "{\"name\":\"x\"}"), "POST admin/keys");
        assertToLogin(api("DELETE", "admin/keys/00000000-0000-4000-8000-000000000000", MASTER, null), "DELETE under the FORM login");
        assertEquals(405, api("DELETE", "api/conversations/x", MASTER, null).statusCode());
        // The container's own rule (web.xml: TRACE with an empty auth-constraint) answers before any filter: 403.
        assertEquals(403, api("TRACE", "admin/api/keys", MASTER, null).statusCode());
    }

    @Test
    void the_admin_page_creates_a_key_shown_once_lists_it_by_prefix_and_revokes_it() throws Exception {
        AdminClient admin = client().signedIn(USER, PASSWORD);
        HttpResponse<String> made = admin.postForm("admin/keys", admin.origin(), "name", "docs bot", "owner", "team-docs",
                "models", "deepseek-v3.2", "rpm", "30", "dailyBudgetUsd", "2.50");
        assertEquals(200, made.statusCode(), made.body());
        Matcher m = Pattern.compile("id=\"new-key-secret\">(crk-[0-9A-Za-z]{32})<").matcher(made.body());
        assertTrue(m.find(), made.body());
        String key = m.group(1);
        TestSecrets.remember(key);
        assertTrue(made.headers().firstValue("Cache-Control").orElse("").contains("no-store"));

        HttpResponse<String> page = admin.get("admin/keys");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(key.substring(0, 10) + "…"), "listed by prefix");
        assertFalse(page.body().contains(key), "shown once only");
        String id = app.rows.one("SELECT id FROM gateway_key WHERE key_hash = ?", KeySecret.hash(key)).get("id").toString();
        assertEquals("team-docs", app.rows.one("SELECT owner FROM gateway_key WHERE id = ?", id).get("owner"));

        assertEquals(403, admin.postForm("admin/keys/" + id + "/revoke", "https://evil.example").statusCode(), "cross-site post");
        assertEquals(403, admin.postForm("admin/keys", null, "name", "no origin").statusCode(), "post without Origin or Sec-Fetch-Site");
        assertNull(app.rows.one("SELECT revoked_at FROM gateway_key WHERE id = ?", id).get("revoked_at"));
        HttpResponse<String> revoked = admin.postForm("admin/keys/" + id + "/revoke", admin.origin());
        assertEquals(302, revoked.statusCode(), revoked.body());
        assertTrue(app.rows.one("SELECT revoked_at FROM gateway_key WHERE id = ?", id).get("revoked_at") != null);

        HttpResponse<String> bad = admin.postForm("admin/keys", admin.origin(), "name", "x", "rpm", "lots");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("rpm: expected a whole number"), bad.body());
        assertToLogin(client().postForm("admin/keys", admin.origin(), "name", "anonymous"), "signed out");
    }

    @Test
    void neither_the_master_key_nor_a_created_key_reaches_the_log() throws Exception {
        String key = create("{\"name\":\"log check\"}").get("key").asText();
        api("GET", "admin/api/keys", "not-the-master-" + key, null);
        api("DELETE", "admin/api/keys/" + key, MASTER, null);
        String text = log.text();
        assertTrue(text.contains("gateway key"), "the creation was logged: " + text.length());
        assertFalse(text.contains(MASTER), "master key in the log");
        assertFalse(text.contains(key), "created key in the log");
    }

    /** The FORM login's answer to anyone not signed in: a redirect (302, or 303 for a POST) to the login page. */
    static void assertToLogin(HttpResponse<String> r, String what) {
        assertTrue(r.statusCode() == 302 || r.statusCode() == 303, what + ": " + r.statusCode());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login"), what + ": " + r.headers().map());
    }

    static Object keyCount() {
        return app.rows.one("SELECT COUNT(*) AS n FROM gateway_key").get("n");
    }

    static JsonNode find(JsonNode keys, String id) {
        for (JsonNode k : keys) {
            if (k.get("id").asText().equals(id)) {
                return k;
            }
        }
        throw new AssertionError(id + " not in " + keys);
    }
}
