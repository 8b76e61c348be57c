package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void percentiles_below_2048_are_exact_by_nearest_rank() {
        Histogram h = new Histogram();
        for (int v : new int[] {15, 20, 35, 40, 50, 2047}) {
            h.record(v);
        }
        assertEquals(35.0, h.percentile(0.5));
        assertEquals(20.0, h.percentile(0.3));
        assertEquals(2047.0, h.percentile(0.95));
        assertEquals(15.0, h.percentile(0.01));
        assertNull(new Histogram().percentile(0.5));
        org.HdrHistogram.Histogram library = new org.HdrHistogram.Histogram(Histogram.SIGNIFICANT_DIGITS);
        assertEquals(1, library.sizeOfEquivalentValueRange(Histogram.EXACT_BELOW - 1), "the page's 'exact below'");
        assertEquals(2, library.sizeOfEquivalentValueRange(Histogram.EXACT_BELOW));
    }

    @Test
    void larger_values_stay_within_the_stated_relative_error() {
        SplittableRandom r = new SplittableRandom(1);
        long[] values = new long[20_000];
        Histogram h = new Histogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = Histogram.EXACT_BELOW + (long) (Math.exp(r.nextDouble() * 14));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.01, 0.5, 0.9, 0.95, 0.99, 1.0}) {
            long exact = values[(int) Math.ceil(p * values.length) - 1];
            double got = h.percentile(p);
            assertTrue(Math.abs(got - exact) <= exact * 0.001, p + ": " + got + " vs " + exact);
        }
    }

    @Test
    void buckets_tile_the_number_line_without_gaps() {
        Histogram h = new Histogram();
        for (long v = 0; v < 1 << 19; v++) {
            h.record(v);
        }
        List<long[]> buckets = new ArrayList<>();
        h.forEachBucket((low, high, count) -> buckets.add(new long[] {low, high, count}));
        long next = 0;
        for (long[] b : buckets) {
            assertEquals(next, b[0], "bucket after " + (next - 1));
            assertEquals(b[1] - b[0] + 1, b[2], "every value of [" + b[0] + ", " + b[1] + "] once");
            assertTrue(b[0] < Histogram.EXACT_BELOW ? b[1] == b[0] : b[1] - b[0] + 1 <= b[0] / 1024.0, "width at " + b[0]);
            next = b[1] + 1;
        }
        assertEquals(1 << 19, next);
    }

    @Test
    void encoded_histograms_merge_like_the_originals() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 1000; i++) {
            a.record(i * 7L);
            b.record(100_000 + i * 13L, 1 + i % 3);
        }
        Histogram merged = Histogram.decode(a.encode());
        merged.mergeEncoded(b.encode());
        a.merge(b);
        assertEquals(a.count(), merged.count());
        for (double p : new double[] {0.1, 0.5, 0.99, 1.0}) {
            assertEquals(a.percentile(p), merged.percentile(p));
        }
        assertTrue(new Histogram().encode().length <= 2);
        Histogram none = Histogram.decode(new Histogram().encode());
        assertEquals(0, none.count());
    }

    @Test
    void the_fast_reader_adds_exactly_what_the_library_decodes() {
        SplittableRandom r = new SplittableRandom(5);
        Histogram h = new Histogram();
        for (int i = 0; i < 5_000; i++) {
            h.record((long) Math.exp(r.nextDouble() * 27), 1 + r.nextInt(100_000));
        }
        byte[] bytes = h.encode();
        org.HdrHistogram.Histogram fast = new org.HdrHistogram.Histogram(Histogram.SIGNIFICANT_DIGITS);
        assertTrue(EncodedCounts.addTo(fast, bytes));
        assertEquals(org.HdrHistogram.Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0), fast);
    }

    @Test
    void histograms_the_fast_reader_does_not_read_are_merged_by_the_library() {
        org.HdrHistogram.Histogram twoDigits = new org.HdrHistogram.Histogram(2);
        org.HdrHistogram.Histogram huge = new org.HdrHistogram.Histogram(Histogram.SIGNIFICANT_DIGITS);
        for (long v : new long[] {5, 600, 70_000}) {
            twoDigits.recordValue(v);
            huge.recordValue(v << 35);
        }
        Histogram h = new Histogram();
        for (org.HdrHistogram.Histogram other : List.of(twoDigits, huge)) {
            ByteBuffer out = ByteBuffer.allocate(other.getNeededByteBufferCapacity());
            other.encodeIntoByteBuffer(out);
            byte[] bytes = Arrays.copyOf(out.array(), out.position());
            assertTrue(!EncodedCounts.addTo(new org.HdrHistogram.Histogram(Histogram.SIGNIFICANT_DIGITS), bytes));
            h.mergeEncoded(bytes);
        }
        assertEquals(6, h.count());
        assertEquals(600, h.percentile(0.3), 600 * 0.01);
        assertEquals(70_000L << 35, h.percentile(1.0), (70_000L << 35) * 0.001);
    }
}
