package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void cost_is_said_as_a_share_of_the_baselines_and_free_answers_are_said_so() {
        assertEquals("41% cheaper per answer", Verdict.cost(590.0, 1000.0));
        assertEquals("62% dearer per answer", Verdict.cost(2000.0, 1234.0));
        assertEquals("the same cost per answer", Verdict.cost(1004.0, 1000.0));
        assertEquals("free, as the baseline", Verdict.cost(0.0, 0.0));
        assertEquals("costs $0.00123 per answer where the baseline is free", Verdict.cost(1230.0, 0.0));
        assertNull(Verdict.cost(null, 1000.0), "no answers in an arm: nothing to say");
    }

    @Test
    void thumbs_are_called_only_past_the_minimum_and_outside_the_interval() {
        assertEquals("thumbs-up 60% vs 80% — not a significant difference",
                Verdict.thumbs(Quality.Rate.of(18, 30, Quality.Rate.of(24, 30, null))));
        assertEquals("thumbs-up 50% vs 90% — significantly lower (-40 points, 95% CI -58 to -17)",
                Verdict.thumbs(Quality.Rate.of(15, 30, Quality.Rate.of(27, 30, null))));
        assertEquals("thumbs-up: not enough ratings (29 / 30, at least 30 in each arm)",
                Verdict.thumbs(Quality.Rate.of(0, 29, Quality.Rate.of(30, 30, null))), "even a 0% against 100% gap needs 30 ratings");
    }
}
