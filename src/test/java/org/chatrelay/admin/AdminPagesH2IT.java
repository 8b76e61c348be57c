package org.chatrelay.admin;

import java.util.Map;
import org.chatrelay.testing.EmbeddedServer;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class AdminPagesH2IT extends AdminPagesContract {
    static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        TestApp.configure(Map.of("chatrelay.upstream.url", upstream.baseUrl(), "chatrelay.model", "chatrelay-demo",
                "chatrelay.db.url", TestApp.freshH2("admin-pages"), "chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD));
        app = new EmbeddedServer(TestApp.warFile(), 32);
        chatWithHtml();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        upstream.close();
    }
}
