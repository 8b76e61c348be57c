package org.chatrelay.admin.report;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * Counts distinct ids (visitors, conversations) in a form that merges across days and filters: an Apache DataSketches
 * HyperLogLog with 2^{@value #LG_K} registers of 8 bits, whose relative standard error after merging is
 * 1.04/√4096 = {@value #ERROR_TEXT}. Below a few hundred ids it keeps the ids' 26-bit hashes themselves (its list and
 * set modes), so small counts are exact unless two ids share a hash; its compact image is then 4 bytes per id.
 */
public final class DistinctSketch {
    static final int LG_K = 12;
    public static final String ERROR_TEXT = "±1.6%";
    private static final byte[] EMPTY = new byte[0];

    /** Created on first use: a cell that only carries sums never needs one. */
    private Union union;

    private Union union() {
        if (union == null) {
            union = new Union(LG_K);
        }
        return union;
    }

    public void add(String id) {
        union().update(id);
    }

    public void merge(DistinctSketch other) {
        if (other.union != null && !other.union.isEmpty()) {
            union().update(other.union.getResult());
        }
    }

    public long estimate() {
        return union == null ? 0 : Math.round(union.getEstimate());
    }

    public byte[] encode() {
        return union == null || union.isEmpty() ? EMPTY : union.toCompactByteArray();
    }

    public static DistinctSketch decode(byte[] bytes) {
        DistinctSketch s = new DistinctSketch();
        s.mergeEncoded(bytes);
        return s;
    }

    /** Reads the stored image in place (wrap, not heapify): a report merges thousands of them. */
    public void mergeEncoded(byte[] bytes) {
        if (bytes.length > 0) {
            union().update(HllSketch.wrap(Memory.wrap(bytes)));
        }
    }
}
