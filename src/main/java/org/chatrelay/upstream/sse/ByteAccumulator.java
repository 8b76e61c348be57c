package org.chatrelay.upstream.sse;

import java.util.Arrays;

/** A growable byte array. Callers enforce their own limits first, so growth never passes {@code capacityLimit}. */
final class ByteAccumulator {

    /** A buffer that grew past this is dropped on clear(): one huge event must not pin memory for the whole stream. */
    static final int RETAIN_BYTES = 64 * 1024;
    private static final int INITIAL_BYTES = 256;

    private final int capacityLimit;
    private byte[] bytes = new byte[0];
    private int length;

    ByteAccumulator(int capacityLimit) {
        this.capacityLimit = capacityLimit;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void append(byte[] src, int offset, int count) {
        ensureCapacity(length + count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
    }

    void append(byte b) {
        ensureCapacity(length + 1);
        bytes[length++] = b;
    }

    void clear() {
        length = 0;
        if (bytes.length > RETAIN_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
    }

    // Doubling keeps a line fed one byte at a time linear overall (amortised O(1) per byte).
    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        long doubled = Math.max(INITIAL_BYTES, 2L * bytes.length);
        int capacity = (int) Math.max(needed, Math.min(doubled, capacityLimit));
        bytes = Arrays.copyOf(bytes, capacity);
    }
}
