package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.datasketches.hll.HllSketch;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * V14: rollups stored in the hand-written formats before it are dropped, every finished row is folded in again by the
 * roll-up job, and the report then equals a recount of the rows (the report over raw rows only) and the hand-computed
 * figures of {@link ReportFiguresTest}, on H2 and on PostgreSQL.
 */
class RollupRebuildTest {
    static final MigrationVersion REBUILD = MigrationVersion.fromVersion("14");
    /** The old formats' images: a histogram of 40 answers at 100 ms (format 1, one bucket, gap 101, count 40) and a
     *  sparse sketch with one register set; neither library reads them. */
    static final byte[] OLD_HISTOGRAM = {1, 1, 101, 40};
    static final byte[] OLD_SKETCH = {1, 1, 1, 1};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void rollups_of_the_old_formats_are_rebuilt_and_the_report_equals_a_recount(String db) throws SQLException {
        String url = db.equals("h2") ? "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" : TestDb.postgresUrl("admin");
        String user = db.equals("h2") ? "sa" : "postgres";
        String password = db.equals("h2") ? "" : "postgres";
        DataSource raw = dataSource(url, user, password);
        Flyway.configure().dataSource(raw).locations("classpath:db/migration").target(lastBefore(raw, REBUILD)).load().migrate();
        for (int i = 0; i < 40; i++) {
            UsageRowsFixture.insert(raw, ReportFiguresTest.main(i));
            UsageRowsFixture.insert(raw, ReportFiguresTest.canary(i));
        }
        // Written by hand, not by today's RollupJob: that one writes the key column V15 adds after V14.
        assertEquals(4, storeOldRollups(raw));
        storeOldFormats(raw);
        ReportFilter filter = ReportFilter.days(ReportFiguresTest.DAY, ReportFiguresTest.DAY);
        ReportService before = new ReportService(new ReportReader(raw), new QualityReader(raw));
        assertThrows(RuntimeException.class, () -> before.build(filter), "the old bytes are unreadable: why V14 exists");

        Database database = Database.open(url, user, password);
        try {
            DataSource ds = database.dataSource();
            assertEquals(0, count(ds, "SELECT COUNT(*) FROM usage_rollup"));
            assertEquals(80, count(ds, "SELECT COUNT(*) FROM answer_usage WHERE rolled_up = FALSE"));
            ReportService service = new ReportService(new ReportReader(ds), new QualityReader(ds));
            Report recount = service.build(filter);
            ReportFiguresTest.check(recount);
            assertEquals(80, new RollupJob(ds).catchUp(), "the job folds every finished row in again");
            assertEquals(0, count(ds, "SELECT COUNT(*) FROM answer_usage WHERE rolled_up = FALSE"));
            assertLibraryFormats(ds);
            Report rebuilt = service.build(filter);
            ReportFiguresTest.check(rebuilt);
            assertSameFigures(recount, rebuilt);
        } finally {
            database.close();
        }
    }

    static void assertSameFigures(Report expected, Report actual) {
        assertEquals(expected.totals(), actual.totals());
        assertEquals(expected.latency(), actual.latency());
        assertEquals(expected.errors(), actual.errors());
        assertEquals(expected.byDay(), actual.byDay());
        assertEquals(expected.byModel(), actual.byModel());
        assertEquals(expected.byProvider(), actual.byProvider());
        assertEquals(expected.arms(), actual.arms());
        assertEquals(expected.verdicts(), actual.verdicts());
        assertEquals(expected.ttftHistogram().count(), actual.ttftHistogram().count());
    }

    /** What the job stores now is each library's own serial form: their decoders read it back. */
    static void assertLibraryFormats(DataSource ds) throws SQLException {
        String sql = "SELECT answers, ttft_hist, visitors FROM usage_rollup WHERE arm = 'main' AND end_reason = 'completed'";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(38, rs.getLong("answers"));
            assertEquals(38, org.HdrHistogram.Histogram.decodeFromByteBuffer(ByteBuffer.wrap(rs.getBytes("ttft_hist")), 0)
                    .getTotalCount());
            assertEquals(4, Math.round(HllSketch.heapify(rs.getBytes("visitors")).getEstimate()));
        }
    }

    /** The newest migration before {@code version} on the classpath: the schema the old rollups were written to. */
    static MigrationVersion lastBefore(DataSource ds, MigrationVersion version) {
        MigrationInfo[] all = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().info().all();
        return Arrays.stream(all).map(MigrationInfo::getVersion).filter(v -> v.compareTo(version) < 0)
                .max(Comparator.naturalOrder()).orElseThrow();
    }

    /** One rollup row per combination the rows hold, as the job wrote them before V14, the rows marked rolled up. */
    static int storeOldRollups(DataSource ds) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT DISTINCT model_requested, provider, arm,"
                + " end_reason, COALESCE(error_code, '') FROM answer_usage"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
            }
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO usage_rollup (usage_day, model,"
                + " provider, arm, end_reason, error_code, answers, answers_provider, answers_estimated, answers_unpriced,"
                + " prompt_tokens_provider, completion_tokens_provider, prompt_tokens_estimated, completion_tokens_estimated,"
                + " cost_provider_micros, cost_estimated_micros, ttft_hist, total_hist, tps_hist, gap_hist, visitors, conversations)"
                + " VALUES (?, ?, ?, ?, ?, ?, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?)")) {
            for (String[] k : keys) {
                ps.setObject(1, ReportFiguresTest.DAY);
                for (int i = 0; i < 5; i++) {
                    ps.setString(2 + i, k[i]);
                }
                for (int i = 7; i <= 12; i++) {
                    ps.setBytes(i, i <= 10 ? OLD_HISTOGRAM : OLD_SKETCH);
                }
                ps.executeUpdate();
            }
            try (PreparedStatement mark = c.prepareStatement("UPDATE answer_usage SET rolled_up = TRUE")) {
                mark.executeUpdate();
            }
        }
        return keys.size();
    }

    static void storeOldFormats(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE usage_rollup SET ttft_hist = ?,"
                + " total_hist = ?, tps_hist = ?, gap_hist = ?, visitors = ?, conversations = ?")) {
            for (int i = 1; i <= 4; i++) {
                ps.setBytes(i, OLD_HISTOGRAM);
            }
            ps.setBytes(5, OLD_SKETCH);
            ps.setBytes(6, OLD_SKETCH);
            assertEquals(4, ps.executeUpdate(), "one day: main completed and user_stop, canary completed and upstream_error");
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        pg.setPassword(password);
        return pg;
    }
}
