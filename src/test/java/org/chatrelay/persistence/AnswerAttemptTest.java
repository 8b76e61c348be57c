package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

/** answer_attempt (V3): every upstream request of an answer, stored with the answer in one transaction. */
class AnswerAttemptTest extends AnswerTables {
    AnswerIds begin() {
        return answers.begin(new AnswerStart(null, "v1", "t", "hi", "primary", "canary", "m", "node-a", T0));
    }

    static AnswerEnd end(AnswerIds ids, String provider, List<AttemptRow> attempts) {
        return new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "Hello", "completed", "stop", null,
                "m-2025", 12, 3, "provider", 5L, 900, 1500, 20.0, 100, attempts.size(), T0.plusSeconds(2), provider, attempts);
    }

    @Test
    void the_attempts_the_answering_provider_and_the_count_are_stored_with_the_answer() {
        AnswerIds ids = begin();
        answers.finish(end(ids, "backup", List.of(
                new AttemptRow(1, "primary", "m", "failed", 503, "http_503", 0, T0, 40),
                new AttemptRow(2, "primary", "m-snapshot-with-a-name-longer-than-the-column-allows-".repeat(3), "failed", null,
                        "connect_refused", 180, T0.plusMillis(220), 2),
                new AttemptRow(3, "backup", "m", "answered", 200, null, 0, T0.plusMillis(230), 1270))));
        assertEquals(3L, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt WHERE usage_id = ?", ids.usageId()));
        assertEquals("backup", TestDb.string(db, "SELECT provider FROM answer_usage WHERE id = ?", ids.usageId()));
        assertEquals("canary", TestDb.string(db, "SELECT arm FROM answer_usage WHERE id = ?", ids.usageId()));
        assertEquals(3L, TestDb.count(db, "SELECT attempts FROM answer_usage WHERE id = ?", ids.usageId()));
        assertEquals("http_503", TestDb.string(db, "SELECT error_code FROM answer_attempt WHERE usage_id = ? AND attempt_no = 1", ids.usageId()));
        assertEquals(180L, TestDb.count(db, "SELECT waited_ms FROM answer_attempt WHERE usage_id = ? AND attempt_no = 2", ids.usageId()));
        assertEquals(100, TestDb.string(db, "SELECT model FROM answer_attempt WHERE usage_id = ? AND attempt_no = 2", ids.usageId()).length());
        assertEquals(0L, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt WHERE usage_id = ? AND http_status IS NULL AND attempt_no <> 2",
                ids.usageId()));
    }

    @Test
    void without_an_attempt_log_the_provider_of_the_start_stays_and_no_attempt_row_is_written() {
        AnswerIds ids = begin();
        answers.finish(new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "", "upstream_error", null,
                "upstream_busy", null, 0, 0, "none", 0L, null, 20, null, null, 0, T0));
        assertEquals("primary", TestDb.string(db, "SELECT provider FROM answer_usage WHERE id = ?", ids.usageId()));
        assertEquals(0L, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt"));
    }

    @Test
    void attempts_go_with_their_usage_row_and_a_failed_insert_stores_nothing() {
        AnswerIds ids = begin();
        AttemptRow twice = new AttemptRow(1, "primary", "m", "answered", 200, null, 0, T0, 10);
        assertThrows(PersistenceException.class, () -> answers.finish(end(ids, "primary", List.of(twice, twice))));
        assertEquals(null, TestDb.string(db, "SELECT end_reason FROM answer_usage WHERE id = ?", ids.usageId()), "rolled back");
        answers.finish(end(ids, "primary", List.of(twice)));
        TestDb.update(db, "DELETE FROM answer_usage WHERE id = ?", ids.usageId());
        assertEquals(0L, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt"));
    }
}
