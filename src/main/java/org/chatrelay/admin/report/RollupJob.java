package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds finished usage rows into usage_rollup in batches, off the request path: the chat's write path
 * (AnswerRepository) stays untouched, and a row is counted exactly once because its {@code rolled_up} flag flips in
 * the same transaction that adds it. Until then the report reads the row raw ({@link RollupStore#tail}).
 * Relies on a finished row (end_reason set) never changing its rolled-up columns again.
 */
public final class RollupJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RollupJob.class);
    static final int BATCH = 5_000;

    private final DataSource ds;
    private final ScheduledExecutorService timer;

    public RollupJob(DataSource ds) {
        this.ds = ds;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "usage-rollup");
            t.setDaemon(true);
            return t;
        });
    }

    public RollupJob every(long millis) {
        timer.scheduleWithFixedDelay(this::runQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void runQuietly() {
        try {
            long rows = catchUp();
            if (rows > 0) {
                LOG.debug("rolled up {} usage rows", rows);
            }
        } catch (RuntimeException e) {
            LOG.warn("usage roll-up failed, will retry: {}", e.getMessage());
        }
    }

    /** Folds in every finished row not yet rolled up; returns how many. */
    public long catchUp() {
        long total = 0;
        int n;
        do {
            n = batch();
            total += n;
        } while (n == BATCH);
        return total;
    }

    int batch() {
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try {
                RollupStore.lock(conn);
                List<RollupStore.Pending> rows = RollupStore.pending(conn, BATCH);
                Map<RollupKey, Cell> cells = new LinkedHashMap<>();
                for (RollupStore.Pending p : rows) {
                    cells.computeIfAbsent(RollupKey.of(p.fact()), k -> new Cell()).add(p.fact());
                }
                for (Map.Entry<RollupKey, Cell> e : cells.entrySet()) {
                    RollupStore.mergeInto(conn, e.getKey(), e.getValue());
                }
                RollupStore.markRolledUp(conn, rows);
                conn.commit();
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot roll up usage rows", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
