package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class PersistenceExceptionTest {

    @Test
    void the_log_line_names_the_database_reason_of_the_innermost_cause() {
        SQLException lock = new SQLException("Timeout trying to lock table \"CONVERSATION\"; SQL statement:\nUPDATE conversation SET x = ?", "HYT00");
        PersistenceException e = new PersistenceException("cannot begin an answer in c1", new RuntimeException("wrapped", lock));
        assertEquals("cannot begin an answer in c1: SQLException [HYT00] Timeout trying to lock table \"CONVERSATION\"; SQL statement:",
                e.withCause());
    }

    @Test
    void a_cause_without_sql_state_and_no_cause_at_all() {
        assertEquals("x: SQLTransientConnectionException Connection is not available, request timed out after 5000ms",
                new PersistenceException("x", new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms")).withCause());
        assertEquals("y", new PersistenceException("y").withCause());
    }
}
