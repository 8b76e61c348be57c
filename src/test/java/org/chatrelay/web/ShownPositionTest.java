package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.chatrelay.persistence.AnswerThinking;
import org.junit.jupiter.api.Test;

/**
 * Where the page resumes an answer it found streaming ({@code data-shown}): the stored reasoning and text counted in
 * UTF-16 code units, as the event ids count them (docs/api.md), including the CR the page's HTML parser turns into LF.
 */
class ShownPositionTest {

    private static String shown(String content, String reasoning) {
        AnswerThinking t = reasoning == null ? null : new AnswerThinking(reasoning, 10, null, null, "estimated");
        return new Transcript.MessageView("m", "assistant", content, "streaming", "2025-01-01T00:00:00Z", null, null, null, null, t).shown();
    }

    @Test
    void reasoning_and_text_characters_in_utf16_code_units() {
        assertEquals("0.0", shown("", null));
        assertEquals("0.0", shown(null, null));
        assertEquals("0.4", shown("a😀é", null));
        assertEquals("5.4", shown("a\r\nb", "hmm\r\n"));
    }
}
