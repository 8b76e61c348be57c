package org.chatrelay.admin;

import java.util.Map;
import org.chatrelay.testing.EmbeddedServer;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same admin page checks on a real PostgreSQL (embedded, offline). */
class AdminPagesPostgresIT extends AdminPagesContract {
    static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        TestApp.configure(Map.of("chatrelay.upstream.url", upstream.baseUrl(), "chatrelay.model", "chatrelay-demo",
                "chatrelay.db.url", TestDatabases.postgresUrl(), "chatrelay.db.user", "postgres", "chatrelay.db.password", "postgres",
                "chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD));
        app = new EmbeddedServer(TestApp.warFile(), 32);
        chatWithHtml();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        upstream.close();
    }
}
