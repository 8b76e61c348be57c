package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void migrations_apply_and_the_database_reports_ready() {
        Database db = TestDb.open();
        try {
            assertTrue(TestDb.tableExists(db, "conversation"));
            assertTrue(TestDb.tableExists(db, "message"));
            assertTrue(TestDb.tableExists(db, "answer_usage"));
            assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1' AND \"success\" = TRUE"));
            assertTrue(db.isReady());
        } finally {
            TestDb.close(db);
        }
        assertFalse(db.isReady(), "a closed database is not ready");
    }

    @Test
    void open_failure_names_the_url_but_not_the_password() {
        String url = "jdbc:postgresql://127.0.0.1:1/chatrelay?user=app&password=hunter2&connectTimeout=2";
        PersistenceException e = assertThrows(PersistenceException.class, () -> Database.open(url, "app", "s3cret"));
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/chatrelay"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void an_embedded_h2_file_database_writes_every_commit_at_once_so_a_killed_node_loses_none() {
        assertEquals("jdbc:h2:file:./data/chatrelay;WRITE_DELAY=0", Database.durable("jdbc:h2:file:./data/chatrelay"));
        assertEquals("jdbc:h2:/srv/db;AUTO_SERVER=TRUE;WRITE_DELAY=0", Database.durable("jdbc:h2:/srv/db;AUTO_SERVER=TRUE"));
        assertEquals("jdbc:h2:file:./x;write_delay=100", Database.durable("jdbc:h2:file:./x;write_delay=100"), "an explicit choice stands");
        assertEquals("jdbc:h2:mem:t", Database.durable("jdbc:h2:mem:t"));
        assertEquals("jdbc:postgresql://db/chat", Database.durable("jdbc:postgresql://db/chat"));
    }

    @Test
    void redact_masks_passwords_in_parameters_and_user_info() {
        assertEquals("jdbc:postgresql://db/chat?user=a&password=***&ssl=true",
                Database.redact("jdbc:postgresql://db/chat?user=a&password=x&ssl=true"));
        assertEquals("jdbc:h2:mem:t;PASSWORD=***;DB_CLOSE_DELAY=-1", Database.redact("jdbc:h2:mem:t;PASSWORD=x;DB_CLOSE_DELAY=-1"));
        assertEquals("jdbc:postgresql://app:***@db/chat", Database.redact("jdbc:postgresql://app:secret@db/chat"));
        assertEquals("jdbc:h2:mem:plain", Database.redact("jdbc:h2:mem:plain"));
    }
}
