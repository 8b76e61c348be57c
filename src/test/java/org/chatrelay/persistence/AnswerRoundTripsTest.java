package org.chatrelay.persistence;

import static org.chatrelay.persistence.AnswerRepositoryTest.T0;
import static org.chatrelay.persistence.AnswerRepositoryTest.end;
import static org.chatrelay.persistence.AnswerRepositoryTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.chatrelay.testing.CountingDataSource;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What one answer's writes send to the database, counted at the JDBC edge (statements and commits; on PostgreSQL each is
 * a round trip). The counts are the contract docs/benchmarks.md accounts with: a change that adds a round trip to an
 * answer's life fails here.
 */
class AnswerRoundTripsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void on_postgresql_a_new_conversation_opens_in_one_round_trip(String kind) throws Exception {
        counting(kind, (db, counted, answers) -> {
            AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));

            boolean postgres = kind.equals("postgres");
            // PostgreSQL: conversation, user message, placeholder and usage row in one statement, its own commit.
            // H2: one statement each (cheaper in-process than one string of four) and the commit.
            assertEquals(postgres ? 1 : 4, counted.statements());
            assertEquals(postgres ? 0 : 1, counted.commits());
            assertEquals(2, TestDb.count(db, "SELECT COUNT(*) FROM message WHERE conversation_id = ?", ids.conversationId()));
            assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM answer_usage WHERE id = ?", ids.usageId()));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void a_follow_up_opens_in_four_round_trips_and_a_commit_and_finishes_in_three_and_a_commit(String kind) throws Exception {
        counting(kind, (db, counted, answers) -> {
            AnswerIds first = answers.begin(start(null, "v1", "hello", "node-a", T0));
            answers.finish(end(first, "hi", "completed", T0.plusSeconds(1)));
            counted.reset();

            AnswerIds second = answers.begin(start(first.conversationId(), "v1", "again", "node-a", T0.plusSeconds(2)));

            // touch (ownership, row lock), last seq, the three rows (one statement on PostgreSQL), the history; the commit
            assertEquals(kind.equals("postgres") ? 4 : 6, counted.statements());
            assertEquals(1, counted.commits());
            assertEquals(List.of(1, 2, 3, 4), second.history().stream().map(Message::seq).toList());

            counted.reset();
            answers.finish(new AnswerEnd(second.usageId(), second.assistantMessageId(), second.conversationId(), "there", "completed",
                    "stop", null, "m", 1, 2, "provider", 3L, 4, 5, 6.0, 7, 1, T0.plusSeconds(3), "openai",
                    List.of(new AttemptRow(1, "openai", "m", "answered", 200, null, 0, T0.plusSeconds(2), 900))));
            // the usage row, the message, the attempts (one batch); then the commit
            assertEquals(3, counted.statements());
            assertEquals(1, counted.commits());
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void answers_that_end_together_finish_in_one_batch_per_table_and_one_commit(String kind) throws Exception {
        counting(kind, (db, counted, answers) -> {
            List<AnswerEnd> ends = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                AnswerIds ids = answers.begin(start(null, "v" + i, "hello", "node-a", T0));
                ends.add(new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "answer " + i, "completed",
                        "stop", null, "m", 1, 2, "provider", 3L, 4, 5, 6.0, 7, 1, T0.plusSeconds(3), "openai",
                        List.of(new AttemptRow(1, "openai", "m", "answered", 200, null, 0, T0, 900))));
            }
            counted.reset();

            assertEquals(5, answers.finishAll(ends));

            // usage rows, messages, attempts: a batch each (one round trip on PostgreSQL), then the commit
            assertEquals(3, counted.statements());
            assertEquals(1, counted.commits());
            assertEquals(5, TestDb.count(db, "SELECT COUNT(*) FROM message WHERE status = 'completed' AND content LIKE 'answer %'"));
            assertEquals(5, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void an_opening_whose_last_row_fails_stores_none_of_its_rows(String kind) throws Exception {
        Database db = open(kind);
        try {
            AnswerRepository answers = new AnswerRepository(db.dataSource());
            AnswerIds taken = answers.begin(start(null, "v1", "hello", "node-a", T0));
            AnswerIds clash = AnswerIds.fresh();
            AnswerIds made = new AnswerIds(clash.conversationId(), clash.userMessageId(), clash.assistantMessageId(), taken.usageId());

            assertThrows(PersistenceException.class, () -> answers.begin(start(null, "v1", "again", "node-a", T0), made));

            assertEquals(0, TestDb.count(db, "SELECT COUNT(*) FROM conversation WHERE id = ?", made.conversationId()));
            assertEquals(0, TestDb.count(db, "SELECT COUNT(*) FROM message WHERE conversation_id = ?", made.conversationId()));
            assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM conversation"));
        } finally {
            TestDb.close(db);
        }
    }

    interface Counted {
        void run(Database db, CountingDataSource counted, AnswerRepository answers) throws Exception;
    }

    /** Runs {@code test} on a fresh database of {@code kind} whose answers are written through a counting data source. */
    private static void counting(String kind, Counted test) throws Exception {
        Database db = open(kind);
        try {
            CountingDataSource counted = new CountingDataSource(db.dataSource());
            test.run(db, counted, new AnswerRepository(counted.dataSource()));
        } finally {
            TestDb.close(db);
        }
    }

    private static Database open(String kind) {
        return kind.equals("h2") ? TestDb.h2() : TestDb.postgres();
    }
}
