package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.util.Map;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

/**
 * The admin login on a standalone jetty-home 12 node built from jetty-config/ with the WAR: the realm travels in the
 * WAR (WEB-INF/jetty-ee10-web.xml), so the server needs no realm file, module or jar of ours.
 */
class AdminStandaloneJettyIT {
    @Test
    void an_admin_signs_in_on_a_standalone_node_with_nothing_but_the_war() throws Exception {
        try (JettyNode node = JettyNode.start("admin-standalone", Map.of(
                "CHATRELAY_DB_URL", TestDb.h2File("admin-standalone"),
                "CHATRELAY_ADMIN_USER", "ops",
                "CHATRELAY_ADMIN_PASSWORD", "standalone-password-1"))) {
            AdminClient c = new AdminClient(node.base());
            HttpResponse<String> challenge = c.get("admin");
            assertEquals(302, challenge.statusCode());
            assertTrue(challenge.headers().firstValue("Location").orElse("").endsWith("/login"));
            String before = c.sessionCookie().map(HttpCookie::getValue).orElseThrow();
            assertTrue(c.login("ops", "wrong-password-1").headers().firstValue("Location").orElse("").endsWith("/login?error"));
            c.signedIn("ops", "standalone-password-1");
            assertNotEquals(before, c.sessionCookie().map(HttpCookie::getValue).orElseThrow());
            HttpResponse<String> report = c.get("admin");
            assertEquals(200, report.statusCode());
            assertTrue(report.body().contains("Usage report"));
        }
    }
}
