package org.chatrelay.upstream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.chatrelay.tokens.TokenEstimator;
import org.junit.jupiter.api.Test;

class DemoScriptTest {
    final TokenEstimator tokens = new TokenEstimator();

    @Test
    void the_answer_is_deterministic_and_its_pieces_rebuild_it() {
        String a = DemoScript.answer("What is SSE?");
        assertEquals(a, DemoScript.answer("What is SSE?"));
        assertTrue(a.contains("What is SSE?"));
        assertEquals(a, String.join("", DemoScript.pieces(a)));
    }

    @Test
    void the_pace_is_realistic_for_any_question() {
        for (String q : List.of("hi", "What is SSE?", "x".repeat(500), "¿Qué tal? 😀", "")) {
            long first = DemoScript.firstTokenDelayMillis(q);
            assertTrue(first >= 150 && first <= 300, "first token after " + first + " ms");
            String answer = DemoScript.answer(q);
            int n = tokens.count(answer);
            List<String> pieces = DemoScript.pieces(answer);
            double seconds = DemoScript.intervalMillis(q, n, pieces.size()) * pieces.size() / 1000.0;
            double rate = n / seconds;
            assertTrue(rate >= 28 && rate <= 62, q + ": " + rate + " tokens/s");
        }
    }
}
