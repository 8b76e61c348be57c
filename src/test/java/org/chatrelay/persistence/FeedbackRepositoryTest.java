package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ratings of answers, on H2 and (in the PostgreSQL pass) PostgreSQL. */
class FeedbackRepositoryTest extends AnswerTables {
    FeedbackRepository feedback;

    @BeforeEach
    void setUp() {
        feedback = new FeedbackRepository(db.dataSource());
    }

    @Test
    void a_rating_is_replaced_not_added_and_only_the_asker_of_a_finished_answer_can_rate_it() {
        AnswerIds ids = answers.begin(start(null, "v1", "q", "n", T0));
        assertFalse(feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback("up", null), T0), "still streaming");
        answers.finish(end(ids, "a", "completed", T0.plusSeconds(1)));
        assertFalse(feedback.rateAnswer(ids.assistantMessageId(), "v2", new Feedback("up", null), T0), "another visitor");

        assertTrue(feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback("up", null), T0.plusSeconds(2)));
        assertTrue(feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback("down", "wrong\u0000year"), T0.plusSeconds(3)));
        assertEquals(Map.of(ids.assistantMessageId(), new Feedback("down", "wrong\uFFFDyear")), feedback.forConversation(ids.conversationId()));
        assertEquals(1, count());
    }

    @Test
    void the_longest_comment_the_api_accepts_fits_even_in_characters_outside_the_basic_plane() {
        AnswerIds ids = answers.begin(start(null, "v1", "q", "n", T0));
        answers.finish(end(ids, "a", "completed", T0.plusSeconds(1)));
        // 500 characters (the API's limit counts code points) of two UTF-16 units each: H2 counts units.
        String comment = "\ud83d\ude00".repeat(500);
        assertTrue(feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback("up", comment), T0.plusSeconds(2)));
        assertEquals(Map.of(ids.assistantMessageId(), new Feedback("up", comment)), feedback.forConversation(ids.conversationId()));
    }

    @Test
    void the_rating_outlives_a_deleted_conversation_with_the_usage_row() {
        AnswerIds ids = answers.begin(start(null, "v1", "q", "n", T0));
        answers.finish(end(ids, "a", "completed", T0.plusSeconds(1)));
        feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback("up", null), T0.plusSeconds(2));
        TestDb.update(db, "DELETE FROM conversation WHERE id = ?", ids.conversationId());
        assertEquals(1, count());
    }

    @Test
    void first_ratings_at_the_same_moment_leave_one_row_and_no_error() throws Exception {
        AnswerIds ids = answers.begin(start(null, "v1", "q", "n", T0));
        answers.finish(end(ids, "a", "completed", T0.plusSeconds(1)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String rating = i % 2 == 0 ? "up" : "down";
            results.add(pool.submit(() -> {
                go.await();
                return feedback.rateAnswer(ids.assistantMessageId(), "v1", new Feedback(rating, null), T0.plusSeconds(2));
            }));
        }
        go.countDown();
        for (Future<Boolean> r : results) {
            assertTrue(r.get());
        }
        pool.shutdown();
        assertEquals(1, count());
    }

    private int count() {
        try (var c = db.dataSource().getConnection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM answer_feedback")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
