package org.chatrelay.admin.report;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * Adds an HdrHistogram in its V2 encoding to another without decoding it into a Histogram first. The library's
 * decoder allocates and zeroes a counts array (about 32 KB for values up to 8 s) per call, 20 µs; a 90-day report
 * merges about 32,000 encoded histograms, so that alone cost over half a second. Here the payload's counts are added
 * where they belong, which costs what the hand-written format cost before. Only our own configuration is read
 * (three digits, unit 1, no shift, values below 2^40); {@link #addTo} says no to anything else and the caller
 * uses the library's decoder.
 */
final class EncodedCounts {
    private static final int HEADER_BYTES = 40;
    private static final long FAST_BELOW = 1L << 40;
    private static final int COOKIE;
    /** Index of the counts array → the lowest value of its bucket, as the library itself steps from bucket to bucket. */
    private static final long[] LOWS;

    static {
        Histogram h = new Histogram(org.chatrelay.admin.report.Histogram.SIGNIFICANT_DIGITS);
        ByteBuffer empty = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        h.encodeIntoByteBuffer(empty);
        COOKIE = empty.getInt(0);
        int n = 0;
        for (long v = 0; v < FAST_BELOW; v = h.nextNonEquivalentValue(v)) {
            n++;
        }
        LOWS = new long[n];
        long v = 0;
        for (int i = 0; i < n; i++) {
            LOWS[i] = v;
            v = h.nextNonEquivalentValue(v);
        }
    }

    private EncodedCounts() {
    }

    /** True when {@code bytes} were added to {@code into}; false, with nothing added, when the fast path cannot read them. */
    static boolean addTo(Histogram into, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES || in.getInt() != COOKIE) {
            return false;
        }
        int end = HEADER_BYTES + in.getInt();
        boolean ours = in.getInt() == 0 && in.getInt() == into.getNumberOfSignificantValueDigits() && in.getLong() == 1
                && in.getLong() < FAST_BELOW;
        if (!ours || end > bytes.length) {
            return false;
        }
        in.position(HEADER_BYTES);
        int index = 0;
        while (in.position() < end) {
            long count = zigZag(in);
            if (count < 0) {
                index -= (int) count;
            } else {
                if (count > 0) {
                    into.recordValueWithCount(LOWS[index], count);
                }
                index++;
            }
        }
        return true;
    }

    /** The library's ZigZag LEB128: at most nine bytes, the ninth carrying a full eight bits. */
    private static long zigZag(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            long b = in.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        value |= ((long) in.get() & 0xFF) << 56;
        return (value >>> 1) ^ -(value & 1);
    }
}
