package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

class AnswerRepositoryTest extends AnswerTables {

    @Test
    void begin_creates_a_conversation_two_messages_and_an_open_usage_row() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));

        Conversation c = conversations.findOwned(ids.conversationId(), "v1").orElseThrow();
        assertEquals("Greetings", c.title());
        assertEquals("gpt-4o-mini", c.model());
        assertEquals(T0, c.createdAt());
        assertEquals(T0, c.updatedAt());
        assertEquals(List.of(
                new Message(ids.userMessageId(), ids.conversationId(), 1, "user", "hello", "sent", T0),
                new Message(ids.assistantMessageId(), ids.conversationId(), 2, "assistant", "", "streaming", T0)),
                conversations.messages(ids.conversationId()));
        assertEquals("node-a", TestDb.string(db, "SELECT node_id FROM message WHERE id = ?", ids.assistantMessageId()));

        UsageRecord u = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertEquals(new UsageRecord(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "v1", "node-a",
                "openai", "main", "gpt-4o-mini", null, null, null, "none", null, null, null, null, null,
                null, null, null, null, 1, T0, null, false), u);
    }

    @Test
    void begin_with_ids_made_beforehand_stores_a_new_conversation_under_them_and_refuses_an_existing_one() {
        AnswerIds made = AnswerIds.fresh();
        answers.begin(start(null, "v1", "hello", "node-a", T0), made);

        assertEquals(List.of(
                new Message(made.userMessageId(), made.conversationId(), 1, "user", "hello", "sent", T0),
                new Message(made.assistantMessageId(), made.conversationId(), 2, "assistant", "", "streaming", T0)),
                conversations.messages(made.conversationId()));
        assertEquals(made.usageId(), answers.usageForMessage(made.assistantMessageId()).orElseThrow().id());
        // A follow-up's seq and prompt come from the rows its own transaction reads: no ids made beforehand.
        assertThrows(IllegalArgumentException.class,
                () -> answers.begin(start(made.conversationId(), "v1", "again", "node-a", T0.plusSeconds(1)), AnswerIds.fresh()));
    }

    @Test
    void seq_numbers_continue_over_several_turns_and_updated_at_follows() {
        AnswerIds first = answers.begin(start(null, "v1", "one", "node-a", T0));
        String id = first.conversationId();
        answers.finish(end(first, "answer one", "completed", T0.plusSeconds(2)));
        AnswerIds second = answers.begin(start(id, "v1", "two", "node-a", T0.plusSeconds(60)));
        AnswerIds third = answers.begin(start(id, "v1", "three", "node-b", T0.plusSeconds(120)));

        assertEquals(id, second.conversationId());
        assertEquals(id, third.conversationId());
        List<Message> messages = conversations.messages(id);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), messages.stream().map(Message::seq).toList());
        assertEquals(List.of("user", "assistant", "user", "assistant", "user", "assistant"),
                messages.stream().map(Message::role).toList());
        assertEquals(List.of("one", "answer one", "two", "", "three", ""), messages.stream().map(Message::content).toList());
        assertEquals(third.assistantMessageId(), messages.get(5).id());
        assertEquals(T0.plusSeconds(120), conversations.findOwned(id, "v1").orElseThrow().updatedAt());
        assertEquals(3, answers.usageForConversation(id).size());
        assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM conversation"));
    }

    @Test
    void concurrent_turns_in_one_conversation_get_distinct_seqs() throws Exception {
        String id = answers.begin(start(null, "v1", "zero", "node-a", T0)).conversationId();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<AnswerIds>> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Instant at = T0.plusSeconds(i + 1);
                results.add(pool.submit(() -> answers.begin(start(id, "v1", "again", "node-a", at))));
            }
            for (Future<AnswerIds> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> seqs = conversations.messages(id).stream().map(Message::seq).toList();
        assertEquals(IntStream.rangeClosed(1, 62).boxed().toList(), seqs);
    }

    @Test
    void begin_in_another_visitors_conversation_throws_not_found_and_changes_nothing() {
        AnswerIds ids = answers.begin(start(null, "owner", "mine", "node-a", T0));

        assertThrows(NotFoundException.class,
                () -> answers.begin(start(ids.conversationId(), "intruder", "hijack", "node-a", T0.plusSeconds(60))));

        assertNothingChangedSinceFirstTurn(ids);
    }

    @Test
    void begin_in_an_unknown_conversation_throws_not_found_and_changes_nothing() {
        AnswerIds ids = answers.begin(start(null, "owner", "mine", "node-a", T0));

        assertThrows(NotFoundException.class,
                () -> answers.begin(start(UUID.randomUUID().toString(), "owner", "lost", "node-a", T0.plusSeconds(60))));

        assertNothingChangedSinceFirstTurn(ids);
    }

    @Test
    void a_failure_inside_begin_leaves_no_half_turn() {
        AnswerIds ids = answers.begin(start(null, "v1", "first", "node-a", T0));
        // model_requested is VARCHAR(100): the usage insert, the last statement of begin, fails.
        String tooLong = "m".repeat(101);
        AnswerStart failingNew = new AnswerStart(null, "v1", "t", "x", "openai", null, tooLong, "node-a", T0.plusSeconds(60));
        AnswerStart failingExisting = new AnswerStart(ids.conversationId(), "v1", "t", "x", "openai", null, tooLong, "node-a",
                T0.plusSeconds(60));

        assertThrows(PersistenceException.class, () -> answers.begin(failingNew));
        assertThrows(PersistenceException.class, () -> answers.begin(failingExisting));

        assertNothingChangedSinceFirstTurn(ids);
    }

    private void assertNothingChangedSinceFirstTurn(AnswerIds ids) {
        assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM conversation"));
        assertEquals(2, TestDb.count(db, "SELECT COUNT(*) FROM message"));
        assertEquals(1, TestDb.count(db, "SELECT COUNT(*) FROM answer_usage"));
        assertEquals(List.of(1, 2), conversations.messages(ids.conversationId()).stream().map(Message::seq).toList());
        assertEquals(T0, TestDb.instant(db, "SELECT updated_at FROM conversation WHERE id = ?", ids.conversationId()),
                "updated_at must not move");
    }

    @Test
    void finish_stores_the_answer_and_every_usage_field() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));

        answers.finish(end(ids, "Hi there!", "completed", T0.plusMillis(1800)));

        Message answer = conversations.messages(ids.conversationId()).get(1);
        assertEquals("Hi there!", answer.content());
        assertEquals("completed", answer.status());
        assertEquals(new UsageRecord(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "v1", "node-a",
                "openai", "main", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", 12, 34, "provider", 1234L, 250, 1800, 18.5, 400,
                "completed", "stop", null, null, 1, T0, T0.plusMillis(1800), false), answers.usageForMessage(ids.assistantMessageId()).orElseThrow());
    }

    @Test
    void finish_all_stores_several_answers_in_one_transaction() {
        AnswerIds a = answers.begin(start(null, "v1", "hello", "node-a", T0));
        AnswerIds b = answers.begin(start(null, "v2", "hi", "node-a", T0));

        answers.finishAll(List.of(end(a, "answer a", "completed", T0.plusSeconds(1)), end(b, "answer b", "length", T0.plusSeconds(2))));

        assertEquals("answer a", conversations.messages(a.conversationId()).get(1).content());
        assertEquals("completed", answers.usageForMessage(a.assistantMessageId()).orElseThrow().endReason());
        assertEquals("answer b", conversations.messages(b.conversationId()).get(1).content());
        assertEquals("length", answers.usageForMessage(b.assistantMessageId()).orElseThrow().endReason());
    }

    @Test
    void finish_all_with_one_unknown_usage_row_stores_none_of_the_batch() {
        AnswerIds a = answers.begin(start(null, "v1", "hello", "node-a", T0));
        AnswerIds b = answers.begin(start(null, "v2", "hi", "node-a", T0));
        AnswerIds bogus = new AnswerIds(b.conversationId(), b.userMessageId(), b.assistantMessageId(), "no-such-usage");

        assertThrows(NotFoundException.class, () -> answers.finishAll(List.of(end(a, "answer a", "completed", T0.plusSeconds(1)),
                end(bogus, "answer b", "completed", T0.plusSeconds(1)))));

        assertEquals("streaming", conversations.messages(a.conversationId()).get(1).status(), "the first answer rolled back too");
        assertEquals("streaming", conversations.messages(b.conversationId()).get(1).status());
    }

    @Test
    void finish_replaces_nul_with_the_replacement_character_and_flags_the_usage_row() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));

        answers.finish(end(ids, "a\u0000b\u0000", "length", T0.plusSeconds(1)));

        Message answer = conversations.messages(ids.conversationId()).get(1);
        assertEquals("a\uFFFDb\uFFFD", answer.content());
        assertEquals("length", answer.status());
        UsageRecord u = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertEquals("nul_replaced", u.contentFlags());
        assertEquals("length", u.endReason());
    }

    @Test
    void finish_stores_the_no_done_flag_of_a_stream_that_skipped_its_terminator() {
        AnswerIds flagged = answers.begin(start(null, "v1", "hello", "node-a", T0));
        AnswerIds clean = answers.begin(start(null, "v1", "hi", "node-a", T0));
        AnswerEnd e = end(flagged, "complete text", "completed", T0.plusSeconds(1));
        answers.finishAll(List.of(new AnswerEnd(e.usageId(), e.assistantMessageId(), e.conversationId(), e.content(), e.endReason(),
                e.finishReason(), e.errorCode(), e.modelReported(), e.promptTokens(), e.completionTokens(), e.usageSource(),
                e.costMicros(), e.ttftMs(), e.totalMs(), e.tokensPerSecond(), e.maxGapMs(), e.attempts(), e.endedAt(), "openai",
                List.of(), true, null), end(clean, "other text", "completed", T0.plusSeconds(1))));

        assertTrue(answers.usageForMessage(flagged.assistantMessageId()).orElseThrow().noDone());
        assertFalse(answers.usageForMessage(clean.assistantMessageId()).orElseThrow().noDone());
    }

    @Test
    void finish_of_an_unknown_usage_row_throws_not_found() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));
        AnswerIds bogus = new AnswerIds(ids.conversationId(), ids.userMessageId(), ids.assistantMessageId(), "no-such-usage");

        assertThrows(NotFoundException.class, () -> answers.finish(end(bogus, "text", "completed", T0.plusSeconds(1))));

        assertEquals("streaming", conversations.messages(ids.conversationId()).get(1).status(), "message update rolled back");
    }

    @Test
    void deleting_a_conversation_keeps_its_usage_rows_with_message_id_null() {
        AnswerIds first = answers.begin(start(null, "v1", "one", "node-a", T0));
        answers.finish(end(first, "answer", "completed", T0.plusSeconds(1)));
        AnswerIds second = answers.begin(start(first.conversationId(), "v1", "two", "node-a", T0.plusSeconds(5)));

        assertEquals(1, TestDb.update(db, "DELETE FROM conversation WHERE id = ?", first.conversationId()));
        // The answer still streaming when its conversation vanished is recorded all the same.
        answers.finish(end(second, "late answer", "completed", T0.plusSeconds(9)));

        assertEquals(0, TestDb.count(db, "SELECT COUNT(*) FROM message"));
        List<UsageRecord> usage = answers.usageForConversation(first.conversationId());
        assertEquals(List.of(first.usageId(), second.usageId()), usage.stream().map(UsageRecord::id).toList());
        assertTrue(usage.stream().allMatch(u -> u.messageId() == null));
        assertEquals(1234L, usage.get(0).costMicros());
        assertEquals("completed", usage.get(1).endReason());
    }

    @Test
    void mark_interrupted_touches_only_this_nodes_and_stale_streaming_answers() {
        Instant staleBefore = T0.plusSeconds(3600);
        AnswerIds mine = answers.begin(start(null, "v1", "a", "node-a", T0.plusSeconds(7200)));
        AnswerIds staleOther = answers.begin(start(null, "v2", "b", "node-b", T0));
        AnswerIds freshOther = answers.begin(start(null, "v3", "c", "node-b", T0.plusSeconds(7200)));
        AnswerIds finishedMine = answers.begin(start(null, "v4", "d", "node-a", T0));
        answers.finish(end(finishedMine, "done", "completed", T0.plusSeconds(1)));
        AnswerIds orphanMine = answers.begin(start(null, "v5", "e", "node-a", T0.plusSeconds(7200)));
        TestDb.update(db, "DELETE FROM conversation WHERE id = ?", orphanMine.conversationId());

        assertEquals(2, answers.markInterrupted("node-a", staleBefore));

        assertInterrupted(mine);
        assertInterrupted(staleOther);
        UsageRecord orphan = answers.usageForConversation(orphanMine.conversationId()).get(0);
        assertEquals("interrupted", orphan.endReason(), "usage of a conversation deleted mid-stream is closed too");
        assertEquals("streaming", status(freshOther));
        assertNull(answers.usageForMessage(freshOther.assistantMessageId()).orElseThrow().endReason());
        assertEquals("completed", status(finishedMine));
        UsageRecord finished = answers.usageForMessage(finishedMine.assistantMessageId()).orElseThrow();
        assertEquals("completed", finished.endReason());
        assertNull(finished.errorCode());
        assertEquals("sent", conversations.messages(mine.conversationId()).get(0).status(), "user messages untouched");
    }

    @Test
    void a_second_final_write_of_a_finished_answer_changes_nothing() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));
        AnswerEnd first = end(ids, "the answer", "completed", T0.plusSeconds(1));
        AnswerEnd late = new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "another text", "timeout", null,
                "max_turn_exceeded", "other-model", 999, 999, "estimated", 999_999L, 1, 2, 3.0, 4, 2, T0.plusSeconds(60), "other",
                List.of(new AttemptRow(1, "other", "m", "answered", 200, null, 0, T0, 10)));

        assertTrue(answers.finish(first));
        UsageRecord before = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertEquals(false, answers.finish(late), "reported as already finished");
        assertEquals(0, answers.finishAll(List.of(first, late)), "replaying both writes neither");

        assertEquals(before, answers.usageForMessage(ids.assistantMessageId()).orElseThrow(), "usage row unchanged");
        Message answer = conversations.messages(ids.conversationId()).get(1);
        assertEquals("the answer", answer.content());
        assertEquals("completed", answer.status());
        assertEquals(0, TestDb.count(db, "SELECT COUNT(*) FROM answer_attempt WHERE usage_id = ?", ids.usageId()),
                "no attempt rows added by the late write");
    }

    @Test
    void a_late_write_after_the_sweeper_closed_the_answer_keeps_it_interrupted() {
        AnswerIds ids = answers.begin(start(null, "v1", "hello", "node-a", T0));
        assertEquals(1, answers.markInterrupted("node-a", T0));

        assertEquals(false, answers.finish(end(ids, "late text", "completed", T0.plusSeconds(900))));

        assertInterrupted(ids);
        assertEquals("", conversations.messages(ids.conversationId()).get(1).content());
        UsageRecord u = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertNull(u.promptTokens(), "tokens of a closed row are not rewritten");
        assertNull(u.costMicros());
    }

    @Test
    void a_batch_with_one_finished_answer_stores_the_others() {
        AnswerIds done = answers.begin(start(null, "v1", "a", "node-a", T0));
        AnswerIds open = answers.begin(start(null, "v2", "b", "node-a", T0));
        answers.finish(end(done, "first", "completed", T0.plusSeconds(1)));

        assertEquals(1, answers.finishAll(List.of(end(done, "again", "completed", T0.plusSeconds(2)), end(open, "second", "length", T0.plusSeconds(2)))));

        assertEquals("first", conversations.messages(done.conversationId()).get(1).content());
        assertEquals("second", conversations.messages(open.conversationId()).get(1).content());
        assertEquals("length", answers.usageForMessage(open.assistantMessageId()).orElseThrow().endReason());
    }

    @Test
    void begin_reads_the_history_in_its_own_transaction() {
        AnswerIds first = answers.begin(start(null, "v1", "one", "node-a", T0));
        answers.finish(end(first, "answer one", "completed", T0.plusSeconds(1)));

        AnswerIds second = answers.begin(start(first.conversationId(), "v1", "two", "node-a", T0.plusSeconds(5)));

        assertEquals(List.of("one", "answer one", "two", ""), second.history().stream().map(Message::content).toList());
        assertEquals(second.assistantMessageId(), second.history().get(3).id());
        assertEquals(List.of("one", ""), first.history().stream().map(Message::content).toList(), "a new conversation: no query needed");
    }

    private void assertInterrupted(AnswerIds ids) {
        assertEquals("interrupted", status(ids));
        UsageRecord u = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertEquals("interrupted", u.endReason());
        assertEquals("node_restart", u.errorCode());
        assertNotNull(u.endedAt());
    }

    private String status(AnswerIds ids) {
        return TestDb.string(db, "SELECT status FROM message WHERE id = ?", ids.assistantMessageId());
    }
}
