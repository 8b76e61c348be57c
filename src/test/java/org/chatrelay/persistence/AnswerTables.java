package org.chatrelay.persistence;

import java.time.Instant;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The setup of a test of the answer tables: a fresh database per test from {@link TestDb#open()} (H2, or PostgreSQL
 * in the second pass) and the answer repository on it. A test extends it and reads {@link #db} and {@link #answers}.
 */
abstract class AnswerTables {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    Database db;
    AnswerRepository answers;

    @BeforeEach
    void openAnswerTables() {
        db = TestDb.open();
        answers = new AnswerRepository(db.dataSource());
    }

    @AfterEach
    void closeAnswerTables() {
        TestDb.close(db);
    }
}
