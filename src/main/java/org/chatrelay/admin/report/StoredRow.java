package org.chatrelay.admin.report;

/**
 * A rollup row as read for a report: its key, its sums (a cell whose distributions stay empty) and its histograms
 * and sketches still encoded. The report merges the encoded forms straight into the few cells it shows, which is
 * sparse and allocates nothing per row: decoding thousands of rows into cells first cost more than the queries.
 */
public record StoredRow(RollupKey key, Cell sums, byte[] ttft, byte[] total, byte[] tps, byte[] gap, byte[] visitors,
                        byte[] conversations) {

    /** Rows not rolled up yet are aggregated in memory, then encoded like stored ones. */
    static StoredRow of(RollupKey key, Cell c) {
        return new StoredRow(key, c, c.ttft.encode(), c.total.encode(), c.tpsTenths.encode(), c.gap.encode(),
                c.visitors.encode(), c.conversations.encode());
    }
}
