package org.chatrelay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void the_median_of_three_runs_is_the_middle_one_and_the_spread_is_max_minus_min_over_it() {
        Spread s = Spread.of(12, 10, 11);
        assertEquals(11, s.median());
        assertEquals(2 / 11.0, s.spread(), 1e-9);
        assertFalse(s.noisy());
        assertEquals("11.0 ms (18%)", s.show(x -> x, "%.1f ms"));
    }

    @Test
    void a_spread_over_20_percent_is_marked() {
        Spread s = Spread.of(10, 13, 10);
        assertTrue(s.noisy());
        assertEquals("10 µs (**30%** ⚠)", s.show(x -> x, "%.0f µs"));
    }

    @Test
    void one_run_shows_its_figure_alone_and_a_run_without_the_figure_is_left_out() {
        assertEquals("4.2 ms", Spread.of(4.2).show(x -> x, "%.1f ms"));
        assertEquals(5, Spread.of(4, Double.NaN, 6).median());
        assertEquals("—", Spread.of(Double.NaN).show(x -> x, "%.1f"));
    }
}
