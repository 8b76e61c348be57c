package org.chatrelay.admin;

import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.junit.jupiter.api.BeforeAll;

/** The same admin page checks on a real PostgreSQL (embedded, offline). */
class AdminPagesPostgresIT extends AdminPagesContract {
    @BeforeAll
    static void startOnPostgres() throws Exception {
        start(AppUnderTest.Db.POSTGRES, Map.of("chatrelay.db.user", "postgres", "chatrelay.db.password", "postgres"));
    }
}
