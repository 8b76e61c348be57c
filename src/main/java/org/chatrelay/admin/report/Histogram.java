package org.chatrelay.admin.report;

import java.nio.ByteBuffer;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A mergeable histogram of non-negative whole numbers (milliseconds, or tenths of a token per second) from which
 * percentiles are read: an HdrHistogram with {@value #SIGNIFICANT_DIGITS} significant digits. Values below
 * {@value #EXACT_BELOW} have a bucket each, so their percentiles are exact; above, a bucket is at most 1/1024 of its
 * values wide and a percentile is its bucket's midpoint, within {@value #RELATIVE_ERROR_TEXT} of the true value.
 * Percentiles use the nearest-rank definition: the p-th percentile of n values is the ⌈p·n⌉-th smallest.
 */
public final class Histogram {
    static final int SIGNIFICANT_DIGITS = 3;
    /** HdrHistogram's unit-resolution range for 3 digits: 2·10³ rounded up to a power of two. */
    public static final int EXACT_BELOW = 2048;
    public static final String RELATIVE_ERROR_TEXT = "0.1%";
    private static final byte[] EMPTY = new byte[0];

    /**
     * Created on first use: a report reads thousands of rows whose sums come in cells that never record a value,
     * and an empty HdrHistogram already holds 2,048 counters.
     */
    private org.HdrHistogram.Histogram counts;

    public void record(long value) {
        record(value, 1);
    }

    public void record(long value, long count) {
        counts().recordValueWithCount(Math.max(0, value), count);
    }

    private org.HdrHistogram.Histogram counts() {
        if (counts == null) {
            counts = new org.HdrHistogram.Histogram(SIGNIFICANT_DIGITS);
        }
        return counts;
    }

    public void merge(Histogram other) {
        if (other.count() > 0) {
            counts().add(other.counts);
        }
    }

    public long count() {
        return counts == null ? 0 : counts.getTotalCount();
    }

    /** The nearest-rank percentile for {@code 0 < p <= 1}, or null when empty. */
    public Double percentile(double p) {
        long total = count();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total - 1e-9));
        return valueAtRank(rank);
    }

    /**
     * The value of the {@code rank}-th smallest recorded value, 1-based. The rank is ours rather than HdrHistogram's
     * getValueAtPercentile, which goes through p·100 in floating point and reports a bucket's top, not its midpoint.
     */
    public double valueAtRank(long rank) {
        double last = 0;
        for (HistogramIterationValue v : counts().recordedValues()) {
            last = midpoint(v.getValueIteratedTo());
            if (v.getTotalCountToThisValue() >= rank) {
                return last;
            }
        }
        return last;
    }

    private double midpoint(long value) {
        long low = counts.lowestEquivalentValue(value);
        return low + (counts.highestEquivalentValue(value) - low) / 2.0;
    }

    /** Calls {@code visitor} with each non-empty bucket's low and high value (inclusive) and count, in order. */
    public void forEachBucket(BucketVisitor visitor) {
        if (counts == null) {
            return;
        }
        for (HistogramIterationValue v : counts.recordedValues()) {
            long value = v.getValueIteratedTo();
            visitor.bucket(counts.lowestEquivalentValue(value), counts.highestEquivalentValue(value),
                    v.getCountAtValueIteratedTo());
        }
    }

    public interface BucketVisitor {
        void bucket(long low, long high, long count);
    }

    /**
     * HdrHistogram's uncompressed V2 encoding (counts as zig-zag varints, runs of empty buckets as one negative
     * number): already sparse, and decoding needs no inflater. An empty histogram is no bytes at all.
     */
    public byte[] encode() {
        if (count() == 0) {
            return EMPTY;
        }
        ByteBuffer out = ByteBuffer.allocate(counts.getNeededByteBufferCapacity());
        counts.encodeIntoByteBuffer(out);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    public static Histogram decode(byte[] bytes) {
        Histogram h = new Histogram();
        h.mergeEncoded(bytes);
        return h;
    }

    /** Adds an encoded histogram (of any HdrHistogram configuration; the report merges thousands of its own). */
    public void mergeEncoded(byte[] bytes) {
        if (bytes.length == 0 || EncodedCounts.addTo(counts(), bytes)) {
            return;
        }
        counts.add(org.HdrHistogram.Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0));
    }
}
