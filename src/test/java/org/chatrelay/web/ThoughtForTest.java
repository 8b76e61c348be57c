package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.chatrelay.persistence.AnswerThinking;
import org.junit.jupiter.api.Test;

/** The folded thinking section's title on a reloaded page: the same words as thoughtFor() in js/thinking.js (thinking.test.mjs). */
class ThoughtForTest {

    static String thoughtFor(Integer ms) {
        AnswerThinking t = new AnswerThinking("r", 10, ms, 5, "provider");
        return new Transcript.MessageView("m", "assistant", "a", "completed", "2025-01-01T00:00:00Z", null, null, "<p>a</p>", null, t).thoughtFor();
    }

    @Test
    void whole_seconds_from_one_second_on_and_tenths_below_rounded_like_the_page_script() {
        assertEquals("Thought for 12 s", thoughtFor(12_400));
        assertEquals("Thought for 3 s", thoughtFor(2_500));
        assertEquals("Thought for 1 s", thoughtFor(1_000));
        assertEquals("Thought for 0.0 s", thoughtFor(0));
        assertEquals("Thought for 0.3 s", thoughtFor(340));
        assertEquals("Thought for 1.0 s", thoughtFor(950));
        assertEquals("Thought", thoughtFor(null));
    }
}
