package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.chatrelay.spool.AnswerSpool;
import org.chatrelay.spool.SpoolConfig;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool replayed into a real database (H2, and PostgreSQL in the second pass): idempotent by the guarded write. */
class SpoolReplayTest extends AnswerTables {
    @TempDir
    Path dir;

    static AnswerEnd end(AnswerIds ids, String text) {
        return new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), text, "completed", "stop", null, "m", 3, 4,
                "provider", 70L, 10, 20, 5.0, 3, 1, T0.plusSeconds(1), "openai",
                List.of(new AttemptRow(1, "openai", "m", "answered", 200, null, 0, T0, 20)));
    }

    @Test
    void a_replay_repeated_after_a_crash_stores_each_answer_once() throws Exception {
        AnswerIds a = answers.begin(AnswerRepositoryTest.start(null, "v1", "q1", "node-a", T0));
        AnswerIds b = answers.begin(AnswerRepositoryTest.start(null, "v2", "q2", "node-a", T0));
        try (AnswerSpool spool = new AnswerSpool(new SpoolConfig(dir, 1 << 20), new ObjectMapper())) {
            spool.append(List.of(end(a, "answer a"), end(b, "answer b")));
            assertThrows(IllegalStateException.class, () -> spool.replay(ends -> {
                answers.finishAll(ends);
                throw new IllegalStateException("killed after the commit, before the file was deleted");
            }));
        }
        try (AnswerSpool restarted = new AnswerSpool(new SpoolConfig(dir, 1 << 20), new ObjectMapper())) {
            assertEquals(2, restarted.pending());
            assertEquals(2, restarted.replay(answers::finishAll));
            assertEquals(0, restarted.pending());
        }

        assertEquals(2, TestDb.count(db, "SELECT COUNT(*) FROM answer_usage WHERE end_reason = 'completed' AND prompt_tokens = 3"));
        assertEquals(2, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt"), "one attempt row each, not two");
        assertEquals("answer a", TestDb.string(db, "SELECT content FROM message WHERE id = ?", a.assistantMessageId()));
        assertEquals("completed", TestDb.string(db, "SELECT status FROM message WHERE id = ?", b.assistantMessageId()));
    }
}
