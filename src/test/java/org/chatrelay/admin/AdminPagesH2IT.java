package org.chatrelay.admin;

import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.junit.jupiter.api.BeforeAll;

class AdminPagesH2IT extends AdminPagesContract {
    @BeforeAll
    static void startOnH2() throws Exception {
        start(AppUnderTest.Db.H2, Map.of());
    }
}
