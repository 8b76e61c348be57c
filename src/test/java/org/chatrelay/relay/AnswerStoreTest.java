package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.AnswerTables;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

class AnswerStoreTest extends AnswerTables {

    @Override
    protected Database openDatabase() {
        return TestDb.h2();
    }

    AnswerStore store(String mode) {
        return AnswerStore.from(Settings.of(mode == null ? Map.of() : Map.of("CHATRELAY_PERSISTENCE", mode)), answers, conversations);
    }

    static AnswerStart start(String conversationId, String text) {
        return new AnswerStart(conversationId, "v1", "t", text, "openai", "main", "m", "node-a", T0);
    }

    /** What the prompt uses of a message. */
    static List<String> prompt(List<Message> history) {
        return history.stream().filter(m -> !m.content().isEmpty()).map(m -> m.seq() + " " + m.role() + " " + m.content() + " " + m.id()).toList();
    }

    @Test
    void a_new_conversation_has_the_history_the_database_would_give_without_asking_it() {
        AnswerStore store = store(null);
        AnswerStart start = start(null, "Hello");
        AnswerIds ids = store.begin(start);
        assertEquals(prompt(conversations.messages(ids.conversationId())), prompt(store.history(ids, start)));
        assertEquals(List.of("1 user Hello " + ids.userMessageId()), prompt(store.history(ids, start)));
    }

    @Test
    void a_continued_conversation_reads_its_history_from_the_database() {
        AnswerStore store = store("jdbc");
        AnswerIds first = store.begin(start(null, "Hello"));
        AnswerStart next = start(first.conversationId(), "Again");
        AnswerIds second = store.begin(next);
        assertEquals(List.of("1 user Hello " + first.userMessageId(), "3 user Again " + second.userMessageId()),
                prompt(store.history(second, next)));
    }

    @Test
    void with_persistence_off_nothing_is_stored_and_no_conversation_can_be_continued() {
        AnswerStore store = store("off");
        AnswerStart start = start(null, "Hello");
        AnswerIds ids = store.begin(start);
        assertEquals(List.of("1 user Hello " + ids.userMessageId()), prompt(store.history(ids, start)));
        assertTrue(conversations.listByVisitor("v1", 10).isEmpty());
        assertTrue(answers.usageForConversation(ids.conversationId()).isEmpty());
        assertThrows(NotFoundException.class, () -> store.begin(start(ids.conversationId(), "Again")));
    }

    @Test
    void an_unknown_persistence_mode_is_refused_with_the_setting_named() {
        ConfigException e = assertThrows(ConfigException.class, () -> store("memory"));
        assertTrue(e.getMessage().contains("CHATRELAY_PERSISTENCE"), e.getMessage());
    }
}
