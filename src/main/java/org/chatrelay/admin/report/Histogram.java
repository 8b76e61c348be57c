package org.chatrelay.admin.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A mergeable histogram of non-negative whole numbers (milliseconds, or tenths of a token per second) from which
 * percentiles are read. Values below {@value #EXACT_BELOW} have a bucket each, so their percentiles are exact;
 * above, every power of two is split into 256 buckets and a percentile is its bucket's midpoint, within
 * {@value #RELATIVE_ERROR_TEXT} of the true value. Percentiles use the nearest-rank definition: the p-th percentile
 * of n values is the ⌈p·n⌉-th smallest.
 */
public final class Histogram {
    public static final int EXACT_BELOW = 512;
    public static final String RELATIVE_ERROR_TEXT = "0.2%";
    private static final int SUB_BUCKETS = 256;
    private static final int MAX_EXPONENT = 30;
    static final int BUCKETS = EXACT_BELOW + (MAX_EXPONENT - 9) * SUB_BUCKETS;
    private static final byte FORMAT = 1;

    private long[] counts = new long[0];
    private long total;

    public void record(long value) {
        record(value, 1);
    }

    public void record(long value, long count) {
        int index = index(Math.max(0, value));
        if (index >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(index + 1, Math.min(BUCKETS, counts.length * 2)));
        }
        counts[index] += count;
        total += count;
    }

    public void merge(Histogram other) {
        if (other.total == 0) {
            return;
        }
        if (other.counts.length > counts.length) {
            counts = Arrays.copyOf(counts, other.counts.length);
        }
        for (int i = other.firstUsed(); i < other.counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    private int firstUsed() {
        int i = 0;
        while (i < counts.length && counts[i] == 0) {
            i++;
        }
        return i;
    }

    public long count() {
        return total;
    }

    /** The nearest-rank percentile for {@code 0 < p <= 1}, or null when empty. */
    public Double percentile(double p) {
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total - 1e-9));
        return valueAtRank(rank);
    }

    /** The value of the {@code rank}-th smallest recorded value, 1-based. */
    public double valueAtRank(long rank) {
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return midpoint(i);
            }
        }
        return midpoint(counts.length - 1);
    }

    /** Calls {@code visitor} with each non-empty bucket's low and high value (inclusive) and count, in order. */
    public void forEachBucket(BucketVisitor visitor) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                visitor.bucket(low(i), low(i) + width(i) - 1, counts[i]);
            }
        }
    }

    public interface BucketVisitor {
        void bucket(long low, long high, long count);
    }

    static int index(long value) {
        if (value < EXACT_BELOW) {
            return (int) value;
        }
        int e = Math.min(63 - Long.numberOfLeadingZeros(value), MAX_EXPONENT - 1);
        long sub = Math.min((value >> (e - 8)) - SUB_BUCKETS, SUB_BUCKETS - 1);
        return EXACT_BELOW + (e - 9) * SUB_BUCKETS + (int) sub;
    }

    static long low(int index) {
        if (index < EXACT_BELOW) {
            return index;
        }
        int k = index - EXACT_BELOW;
        int e = 9 + k / SUB_BUCKETS;
        return (long) (SUB_BUCKETS + k % SUB_BUCKETS) << (e - 8);
    }

    static long width(int index) {
        return index < EXACT_BELOW ? 1 : 1L << (9 + (index - EXACT_BELOW) / SUB_BUCKETS - 8);
    }

    static double midpoint(int index) {
        return low(index) + (width(index) - 1) / 2.0;
    }

    /** Sparse: the format byte, the number of buckets in use, then (gap to the previous bucket, count) pairs. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        int used = 0;
        for (long c : counts) {
            used += c > 0 ? 1 : 0;
        }
        Varints.write(out, used);
        int previous = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                Varints.write(out, i - previous);
                Varints.write(out, counts[i]);
                previous = i;
            }
        }
        return out.toByteArray();
    }

    public static Histogram decode(byte[] bytes) {
        Histogram h = new Histogram();
        h.mergeEncoded(bytes);
        return h;
    }

    /** Adds an encoded histogram without building it first: the report merges thousands of these. */
    public void mergeEncoded(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != FORMAT) {
            throw new IllegalArgumentException("unknown histogram format");
        }
        long used = Varints.read(in);
        int index = -1;
        for (long n = 0; n < used; n++) {
            index += (int) Varints.read(in);
            long c = Varints.read(in);
            if (index >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(index + 1, Math.min(BUCKETS, counts.length * 2)));
            }
            counts[index] += c;
            total += c;
        }
    }
}
