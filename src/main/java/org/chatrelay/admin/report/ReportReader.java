package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;

/**
 * Reads the report's cells: the rollup rows of the range and, raw, the finished rows not rolled up yet, in one
 * transaction that holds the roll-up lock, so a batch being folded in is seen either entirely raw or entirely rolled up.
 */
public final class ReportReader {
    private final DataSource ds;

    public ReportReader(DataSource ds) {
        this.ds = ds;
    }

    public void read(ReportFilter filter, Consumer<StoredRow> sink) {
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try {
                RollupStore.lock(conn);
                RollupStore.read(conn, filter, sink);
                Map<RollupKey, Cell> tail = new HashMap<>();
                RollupStore.tail(conn, filter, (key, fact) -> tail.computeIfAbsent(key, k -> new Cell()).add(fact));
                tail.forEach((key, cell) -> sink.accept(StoredRow.of(key, cell)));
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the usage report", e);
        }
    }
}
