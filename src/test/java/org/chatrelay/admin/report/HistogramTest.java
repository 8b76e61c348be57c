package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void percentiles_below_512_are_exact_by_nearest_rank() {
        Histogram h = new Histogram();
        for (int v : new int[] {15, 20, 35, 40, 50}) {
            h.record(v);
        }
        assertEquals(35.0, h.percentile(0.5));
        assertEquals(20.0, h.percentile(0.4));
        assertEquals(50.0, h.percentile(0.95));
        assertEquals(15.0, h.percentile(0.01));
        assertNull(new Histogram().percentile(0.5));
    }

    @Test
    void larger_values_stay_within_the_stated_relative_error() {
        SplittableRandom r = new SplittableRandom(1);
        long[] values = new long[20_000];
        Histogram h = new Histogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 512 + (long) (Math.exp(r.nextDouble() * 14));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.01, 0.5, 0.9, 0.95, 0.99, 1.0}) {
            long exact = values[(int) Math.ceil(p * values.length) - 1];
            double got = h.percentile(p);
            assertTrue(Math.abs(got - exact) <= exact * 0.002, p + ": " + got + " vs " + exact);
        }
    }

    @Test
    void buckets_tile_the_number_line_without_gaps() {
        for (int i = 0; i < Histogram.BUCKETS - 1; i++) {
            assertEquals(Histogram.low(i) + Histogram.width(i), Histogram.low(i + 1), "after bucket " + i);
            assertEquals(i, Histogram.index(Histogram.low(i)));
            assertEquals(i, Histogram.index(Histogram.low(i) + Histogram.width(i) - 1));
        }
    }

    @Test
    void encoded_histograms_merge_like_the_originals() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 1000; i++) {
            a.record(i * 7L);
            b.record(100_000 + i * 13L);
        }
        Histogram merged = Histogram.decode(a.encode());
        merged.mergeEncoded(b.encode());
        a.merge(b);
        assertEquals(a.count(), merged.count());
        for (double p : new double[] {0.1, 0.5, 0.99}) {
            assertEquals(a.percentile(p), merged.percentile(p));
        }
        assertTrue(new Histogram().encode().length <= 2);
    }
}
