package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistinctSketchTest {

    @Test
    void small_counts_are_exact_and_repeats_do_not_count() {
        DistinctSketch s = new DistinctSketch();
        for (int i = 0; i < 50; i++) {
            s.add("visitor-" + (i % 20));
        }
        assertEquals(20, s.estimate());
        assertEquals(0, new DistinctSketch().estimate());
        DistinctSketch hundreds = new DistinctSketch();
        for (int i = 0; i < 300; i++) {
            hundreds.add("v" + i);
            assertEquals(i + 1, hundreds.estimate(), "exact up to a few hundred");
        }
    }

    @Test
    void large_counts_are_within_three_standard_errors() {
        assertEquals("±1.6%", DistinctSketch.ERROR_TEXT);
        assertEquals(0.016, 1.04 / Math.sqrt(1 << DistinctSketch.LG_K), 0.0005, "HLL's standard error for 2^lgK registers");
        DistinctSketch s = new DistinctSketch();
        for (int i = 0; i < 200_000; i++) {
            s.add("c" + i);
        }
        assertEquals(200_000, s.estimate(), 200_000 * 0.048);
    }

    @Test
    void merging_encoded_sketches_counts_the_union() {
        DistinctSketch a = new DistinctSketch();
        DistinctSketch b = new DistinctSketch();
        for (int i = 0; i < 300; i++) {
            a.add("v" + i);
            b.add("v" + (i + 150));
        }
        DistinctSketch union = DistinctSketch.decode(a.encode());
        union.mergeEncoded(b.encode());
        assertEquals(450, union.estimate(), 450 * 0.02);
        DistinctSketch merged = new DistinctSketch();
        merged.merge(a);
        merged.merge(b);
        assertEquals(union.estimate(), merged.estimate());
        DistinctSketch dense = new DistinctSketch();
        for (int i = 0; i < 20_000; i++) {
            dense.add("d" + i);
        }
        assertEquals(dense.estimate(), DistinctSketch.decode(dense.encode()).estimate());
        assertTrue(dense.encode().length <= 4096 + 40, "one byte per register and the image's header");
        assertEquals(0, new DistinctSketch().encode().length);
        assertEquals(0, DistinctSketch.decode(new byte[0]).estimate());
    }
}
