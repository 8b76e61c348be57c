package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SurrogateJoinerTest {
    private final SurrogateJoiner joiner = new SurrogateJoiner();

    @Test
    void a_pair_split_across_two_pieces_leaves_whole_with_the_second() {
        assertEquals("Smile ", joiner.join("Smile \ud83d"));
        assertEquals("\ud83d\ude00!", joiner.join("\ude00!"));
        assertNull(joiner.flush());
    }

    @Test
    void a_piece_that_is_only_a_high_surrogate_waits() {
        assertEquals("", joiner.join("\ud83d"));
        assertEquals("\ud83d\ude00", joiner.join("\ude00"));
    }

    @Test
    void a_high_surrogate_followed_by_anything_but_its_partner_becomes_a_replacement_character() {
        assertEquals("a", joiner.join("a\ud83d"));
        assertEquals("\ufffdb", joiner.join("b"));
    }

    @Test
    void a_lone_low_surrogate_becomes_a_replacement_character() {
        assertEquals("x\ufffdy", joiner.join("x\ude00y"));
    }

    @Test
    void a_high_surrogate_left_at_the_end_of_the_text_is_flushed_as_a_replacement_character() {
        assertEquals("end", joiner.join("end\ud83d"));
        assertEquals("\ufffd", joiner.flush());
        assertNull(joiner.flush());
    }

    @Test
    void well_formed_text_passes_unchanged_and_without_a_copy_when_it_has_no_surrogate() {
        String piece = "plain text";
        assertSame(piece, joiner.join(piece));
        assertEquals("an emoji \ud83d\ude00 whole", joiner.join("an emoji \ud83d\ude00 whole"));
    }
}
