package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Regenerate, edit, continue, and the history operations: what is replaced, what is kept, who may do it. */
class AnswerRewritesTest extends AnswerTables {
    AnswerRewrites rewrites;
    HistoryRepository history;
    ClientMetricsRepository client;

    @BeforeEach
    void setUp() {
        rewrites = new AnswerRewrites(db.dataSource());
        history = new HistoryRepository(db.dataSource());
        client = new ClientMetricsRepository(db.dataSource());
    }

    private AnswerStart start(String conversationId, String text, int second) {
        return new AnswerStart(conversationId, "v1", text, text, "openai", "main", "m", "node-a", T0.plusSeconds(second));
    }

    private AnswerIds answered(AnswerIds ids, String text, String end, long cost) {
        answers.finish(new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), text, end, "stop", null, "m",
                10, 5, "provider", cost, 100, 200, 25.0, 10, 1, T0.plusSeconds(99)));
        return ids;
    }

    private List<String> current(String conversationId) {
        return conversations.messages(conversationId).stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    @Test
    void regenerate_marks_the_last_answer_replaced_and_keeps_its_usage() {
        AnswerIds first = answered(answers.begin(start(null, "q", 0)), "old answer", "completed", 7);
        AnswerIds again = rewrites.regenerate(start(first.conversationId(), null, 1));
        answered(again, "new answer", "completed", 9);

        assertEquals(first.userMessageId(), again.userMessageId(), "the same question");
        assertEquals(List.of("user:q", "assistant:new answer"), current(first.conversationId()));
        assertEquals(again.assistantMessageId(), TestDb.string(db, "SELECT replaced_by FROM message WHERE id = ?", first.assistantMessageId()));
        assertEquals(16, TestDb.count(db, "SELECT SUM(cost_micros) FROM answer_usage WHERE conversation_id = ?", first.conversationId()),
                "both answers' costs count");
        assertEquals(1, history.replacedCount(first.conversationId()));
    }

    @Test
    void edit_replaces_the_last_question_and_its_answer() {
        AnswerIds first = answered(answers.begin(start(null, "first", 0)), "a1", "completed", 1);
        AnswerIds second = answered(answers.begin(start(first.conversationId(), "second", 1)), "a2", "completed", 1);
        assertThrows(ConflictException.class, () -> rewrites.edit(start(first.conversationId(), "x", 2), first.userMessageId()),
                "only the last question");
        AnswerIds edited = rewrites.edit(start(first.conversationId(), "second, better", 3), second.userMessageId());
        answered(edited, "a3", "completed", 1);

        assertEquals(List.of("user:first", "assistant:a1", "user:second, better", "assistant:a3"), current(first.conversationId()));
        assertEquals(2, TestDb.count(db, "SELECT COUNT(*) FROM message WHERE replaced_by = ?", edited.userMessageId()));
    }

    @Test
    void continue_needs_an_answer_that_ended_early_and_adds_a_marked_request() {
        AnswerIds done = answered(answers.begin(start(null, "q", 0)), "complete", "completed", 1);
        ConflictException complete = assertThrows(ConflictException.class,
                () -> rewrites.continueAnswer(start(done.conversationId(), null, 1), done.assistantMessageId()));
        assertEquals("not_continuable", complete.code());

        AnswerIds cut = answered(answers.begin(start(done.conversationId(), "more", 2)), "partial", "upstream_cut", 1);
        AnswerIds more = rewrites.continueAnswer(start(done.conversationId(), null, 3), cut.assistantMessageId());
        List<String> now = current(done.conversationId());
        assertEquals("user:" + AnswerRewrites.CONTINUE_PROMPT, now.get(4));
        assertEquals(java.util.Set.of(more.userMessageId()), history.continueRequests(done.conversationId()));
        ConflictException busy = assertThrows(ConflictException.class, () -> rewrites.regenerate(start(done.conversationId(), null, 4)));
        assertEquals("answer_in_progress", busy.code(), "the continuation is still streaming");
    }

    @Test
    void another_visitor_cannot_rework_rename_delete_or_report() {
        AnswerIds ids = answered(answers.begin(start(null, "mine", 0)), "a", "completed", 3);
        AnswerStart theirs = new AnswerStart(ids.conversationId(), "v2", null, null, "openai", "main", "m", "node-a", T0);
        assertThrows(NotFoundException.class, () -> rewrites.regenerate(theirs));
        assertEquals(false, history.rename(ids.conversationId(), "v2", "x"));
        assertEquals(false, history.delete(ids.conversationId(), "v2"));
        assertEquals(false, history.rememberModel(ids.conversationId(), "v2", "x"));
        assertEquals(false, client.recordPaint(ids.assistantMessageId(), "v2", 5));
        assertTrue(history.findMessage(ids.assistantMessageId(), "v2").isEmpty());
        assertEquals("mine", conversations.findOwned(ids.conversationId(), "v1").orElseThrow().title());
    }

    @Test
    void delete_removes_messages_but_keeps_usage_and_client_reports_are_stored_once() {
        AnswerIds ids = answered(answers.begin(start(null, "bye", 0)), "a", "completed", 3);
        assertTrue(client.recordPaint(ids.assistantMessageId(), "v1", 120));
        assertTrue(client.recordPaint(ids.assistantMessageId(), "v1", 5));
        assertTrue(client.recordDelivery(ids.assistantMessageId(), "v1", 800, true));
        assertEquals(Map.of(ids.assistantMessageId(), new ClientMetrics(120, 800, true)), client.forConversation(ids.conversationId()));

        assertTrue(history.delete(ids.conversationId(), "v1"));
        assertEquals(0, TestDb.count(db, "SELECT COUNT(*) FROM message WHERE conversation_id = ?", ids.conversationId()));
        assertEquals(3, TestDb.count(db, "SELECT cost_micros FROM answer_usage WHERE id = ?", ids.usageId()), "the cost stays");
        assertEquals(120, TestDb.count(db, "SELECT client_ttft_ms FROM answer_usage WHERE id = ?", ids.usageId()));
    }

    @Test
    void search_escapes_like_wildcards() {
        answered(answers.begin(start(null, "50% off_sale", 0)), "a", "completed", 1);
        answered(answers.begin(start(null, "plain", 1)), "b", "completed", 1);
        assertEquals(1, history.search("v1", "50%", 10).size());
        assertEquals(0, history.search("v1", "o_f", 10).size());
        assertEquals(2, history.search("v1", "", 10).size());
        assertEquals(0, history.search("v2", "", 10).size());
    }

}
