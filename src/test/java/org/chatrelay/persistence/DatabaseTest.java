package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

    /** Each index is written on every insert and on every update it covers: a second one on the same columns only costs. */
    @Test
    void no_two_indexes_of_a_table_cover_the_same_columns_in_the_same_order() throws Exception {
        Database db = TestDb.open();
        try (Connection conn = db.dataSource().getConnection()) {
            DatabaseMetaData meta = conn.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, conn.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.size() > 10, "the schema's tables: " + tables);
            for (String table : tables) {
                Map<String, TreeMap<Short, String>> columns = new TreeMap<>();
                try (ResultSet rs = meta.getIndexInfo(null, conn.getSchema(), table, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null) {
                            columns.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>())
                                    .put(rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
                Map<List<String>, String> seen = new HashMap<>();
                columns.forEach((index, cols) -> {
                    String other = seen.put(List.copyOf(cols.values()), index);
                    assertNull(other, table + ": " + index + " and " + other + " both index " + cols.values());
                });
            }
        } finally {
            TestDb.close(db);
        }
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
