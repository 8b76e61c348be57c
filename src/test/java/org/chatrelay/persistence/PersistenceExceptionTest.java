package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.chatrelay.testing.TestDb;
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

    /**
     * Review finding 19: H2's data errors (SQLState class 22: a value too long, a conversion) quote the value in their
     * first line, which may be a visitor's text (PostgreSQL's do not). The log line keeps the class and the SQLState.
     */
    @Test
    void a_data_error_does_not_quote_the_value_in_the_log_line() {
        Database db = TestDb.open();
        try {
            AnswerIds ids = new AnswerRepository(db.dataSource()).begin(AnswerRepositoryTest.start(null, "v1", "hi", "node-a",
                    AnswerRepositoryTest.T0));
            String secret = "my-private-words-".repeat(4);
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> TestDb.update(db, "UPDATE message SET status = ? WHERE id = ?", secret, ids.assistantMessageId()));
            SQLException cause = (SQLException) thrown.getCause();
            assertTrue(cause.getSQLState().startsWith("22"), cause.getSQLState());
            String line = new PersistenceException("cannot store an answer", cause).withCause();
            assertFalse(line.contains("my-private-words"), line);
            assertTrue(line.startsWith("cannot store an answer: "), line);
            assertTrue(line.contains("[" + cause.getSQLState() + "]"), line);
        } finally {
            TestDb.close(db);
        }
    }
}
