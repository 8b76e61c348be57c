package org.chatrelay.persistence;

import java.time.Instant;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The setup of a test of the answer tables: a fresh database per test from {@link TestDb#open()} (H2, or PostgreSQL
 * in the second pass), the answer and conversation repositories on it, and the start and end of a plain answer. A
 * test extends it and reads {@link #db}, {@link #answers} and {@link #conversations}; a test outside persistence,
 * which the PostgreSQL pass does not run, opens an H2 of its own ({@link #openDatabase()}).
 */
public abstract class AnswerTables {
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    protected Database db;
    protected AnswerRepository answers;
    protected ConversationRepository conversations;

    @BeforeEach
    void openAnswerTables() {
        db = openDatabase();
        answers = new AnswerRepository(db.dataSource());
        conversations = new ConversationRepository(db.dataSource());
    }

    @AfterEach
    void closeAnswerTables() {
        TestDb.close(db);
    }

    protected Database openDatabase() {
        return TestDb.open();
    }

    public static AnswerStart start(String conversationId, String visitor, String text, String node, Instant at) {
        return new AnswerStart(conversationId, visitor, "Greetings", text, "openai", null, "gpt-4o-mini", node, at);
    }

    public static AnswerEnd end(AnswerIds ids, String content, String endReason, Instant at) {
        return new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), content, endReason, "stop", null,
                "gpt-4o-mini-2024-07-18", 12, 34, "provider", 1234L, 250, 1800, 18.5, 400, 1, at);
    }
}
