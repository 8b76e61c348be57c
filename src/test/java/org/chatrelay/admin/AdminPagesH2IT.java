package org.chatrelay.admin;

import java.util.Map;
import org.chatrelay.testing.TestApp;
import org.junit.jupiter.api.BeforeAll;

class AdminPagesH2IT extends AdminPagesContract {
    @BeforeAll
    static void startOnH2() throws Exception {
        start(Map.of("chatrelay.db.url", TestApp.freshH2("admin-pages")));
    }
}
