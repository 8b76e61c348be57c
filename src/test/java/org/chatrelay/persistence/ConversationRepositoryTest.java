package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationRepositoryTest extends AnswerTables {

    private String newConversation(String visitor, String title, Instant at) {
        return answers.begin(new AnswerStart(null, visitor, title, "hi", "openai", "main", "gpt-4o-mini", "node-a", at)).conversationId();
    }

    private void newAnswer(String conversationId, String visitor, Instant at) {
        answers.begin(new AnswerStart(conversationId, visitor, null, "more", "openai", "main", "gpt-4o-mini", "node-a", at));
    }

    @Test
    void list_by_visitor_puts_the_most_recently_updated_first_and_honours_the_limit() {
        String oldest = newConversation("v1", "oldest", T0);
        String middle = newConversation("v1", "middle", T0.plusSeconds(10));
        String newest = newConversation("v1", "newest", T0.plusSeconds(20));
        newConversation("v2", "someone else's", T0.plusSeconds(30));
        newAnswer(oldest, "v1", T0.plusSeconds(40));

        assertEquals(List.of(oldest, newest, middle), ids(conversations.listByVisitor("v1", 10)));
        assertEquals(List.of(oldest, newest), ids(conversations.listByVisitor("v1", 2)));
        assertTrue(conversations.listByVisitor("nobody", 10).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> conversations.listByVisitor("v1", 0));
    }

    @Test
    void find_owned_is_empty_both_for_a_missing_and_for_someone_elses_conversation() {
        String id = newConversation("v1", "mine", T0);

        assertEquals("mine", conversations.findOwned(id, "v1").orElseThrow().title());
        assertTrue(conversations.findOwned(id, "v2").isEmpty());
        assertTrue(conversations.findOwned("00000000-0000-0000-0000-000000000000", "v1").isEmpty());
    }

    @Test
    void a_blank_title_gets_a_default_and_a_long_one_is_cut_to_the_column() {
        String blank = newConversation("v1", "  ", T0);
        String longTitle = newConversation("v1", "x".repeat(250), T0);

        assertEquals(AnswerRepository.DEFAULT_TITLE, conversations.findOwned(blank, "v1").orElseThrow().title());
        assertEquals(200, conversations.findOwned(longTitle, "v1").orElseThrow().title().length());
    }

    @Test
    void messages_come_in_seq_order_and_timestamps_round_trip_as_utc_instants() {
        Instant odd = Instant.parse("2025-06-30T23:59:59.123456Z");
        String id = newConversation("v1", "t", odd);
        newAnswer(id, "v1", odd.plusSeconds(1));

        List<Message> messages = conversations.messages(id);
        assertEquals(List.of(1, 2, 3, 4), messages.stream().map(Message::seq).toList());
        assertEquals(odd, messages.get(0).createdAt());
        assertEquals(odd, conversations.findOwned(id, "v1").orElseThrow().createdAt());
    }

    private static List<String> ids(List<Conversation> list) {
        return list.stream().map(Conversation::id).toList();
    }
}
