package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** V10: an answer's reasoning and its figures, stored with it in the same transaction (H2 and PostgreSQL). */
class ThinkingRepositoryTest extends AnswerTables {
    ThinkingRepository thinking;

    @BeforeEach
    void setUp() {
        thinking = new ThinkingRepository(db.dataSource());
    }

    static AnswerEnd end(AnswerIds ids, AnswerThinking t) {
        return new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "Hello", "completed", "stop", null,
                "m", 12, 80, "provider", 1234L, 2500, 3000, 18.5, 400, 1, T0.plusSeconds(3), "p", List.of(), false, t);
    }

    @Test
    void the_reasoning_is_stored_with_the_answer_and_read_back_by_conversation() {
        AnswerIds ids = answers.begin(start(null, "v1", "hi", "node-a", T0));
        AnswerThinking t = new AnswerThinking("Let me think <b>a\u0000b</b>.", 300, 2000, 64, "provider");
        answers.finish(end(ids, t));

        assertEquals(Map.of(ids.assistantMessageId(), new AnswerThinking("Let me think <b>a\uFFFDb</b>.", 300, 2000, 64, "provider")),
                thinking.forConversation(ids.conversationId()), "a NUL is replaced, as in the answer");
        UsageRecord u = answers.usageForMessage(ids.assistantMessageId()).orElseThrow();
        assertEquals(2500, u.ttftMs(), "TTFT stays the time to the first answer token");
        List<Message> history = conversations.messages(ids.conversationId());
        assertTrue(history.stream().noneMatch(m -> m.content().contains("think")), "the history sent upstream has no reasoning");
    }

    @Test
    void an_answer_without_reasoning_has_none_and_reasoning_tokens_alone_are_kept() {
        AnswerIds plain = answers.begin(start(null, "v1", "hi", "node-a", T0));
        answers.finish(end(plain, new AnswerThinking("", null, null, null, null)));
        assertEquals(Map.of(), thinking.forConversation(plain.conversationId()));

        // A provider may count reasoning tokens without streaming the reasoning (hidden reasoning).
        AnswerIds hidden = answers.begin(start(null, "v1", "hi", "node-a", T0));
        answers.finish(end(hidden, new AnswerThinking("", null, null, 40, "provider")));
        assertEquals(Map.of(hidden.assistantMessageId(), new AnswerThinking(null, null, null, 40, "provider")),
                thinking.forConversation(hidden.conversationId()));
    }
}
