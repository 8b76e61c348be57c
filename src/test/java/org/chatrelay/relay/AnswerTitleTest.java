package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A conversation's title from its first question: one line, runs of white space as one space, at most 60 characters. */
class AnswerTitleTest {

    @Test
    void white_space_of_any_kind_becomes_one_space_and_the_ends_are_stripped() {
        assertEquals("What is the capital of France?", RelayService.title("  What is\tthe capital \n\n of   France?\r\n"));
    }

    @Test
    void a_title_over_60_characters_is_cut_to_59_and_an_ellipsis() {
        String title = RelayService.title("x".repeat(30) + "\n" + "y".repeat(40));
        assertEquals("x".repeat(30) + " " + "y".repeat(28) + "…", title);
        assertEquals(60, title.length());
    }
}
