package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daily budget's sum, on H2 and (in the PostgreSQL pass) PostgreSQL. */
class VisitorUsageRepositoryTest extends AnswerTables {
    VisitorUsageRepository usage;

    @BeforeEach
    void setUp() {
        usage = new VisitorUsageRepository(db.dataSource());
    }

    @Test
    void sums_prompt_and_completion_tokens_of_the_visitors_answers_since_the_instant_only() {
        AnswerIds before = answers.begin(start(null, "v1", "yesterday", "n", T0.minusSeconds(60)));
        answers.finish(end(before, "old", "completed", T0));
        AnswerIds first = answers.begin(start(null, "v1", "one", "n", T0));
        answers.finish(end(first, "a", "completed", T0.plusSeconds(1)));
        AnswerIds second = answers.begin(start(first.conversationId(), "v1", "two", "n", T0.plusSeconds(5)));
        answers.finish(end(second, "b", "user_stop", T0.plusSeconds(6)));
        AnswerIds other = answers.begin(start(null, "v2", "not mine", "n", T0));
        answers.finish(end(other, "c", "completed", T0.plusSeconds(1)));
        // Still streaming: no tokens yet, counted as none.
        answers.begin(start(null, "v1", "open", "n", T0.plusSeconds(9)));

        // Each ended answer: 12 prompt + 34 completion tokens.
        assertEquals(2 * 46, usage.tokensSince("v1", T0));
        assertEquals(3 * 46, usage.tokensSince("v1", T0.minusSeconds(3600)));
        assertEquals(0, usage.tokensSince("v3", T0));
    }

    @Test
    void deleting_the_conversation_gives_no_tokens_back() {
        AnswerIds ids = answers.begin(start(null, "v1", "spend", "n", T0));
        answers.finish(end(ids, "a", "completed", T0.plusSeconds(1)));
        TestDb.update(db, "DELETE FROM conversation WHERE id = ?", ids.conversationId());
        assertEquals(46, usage.tokensSince("v1", T0));
    }
}
