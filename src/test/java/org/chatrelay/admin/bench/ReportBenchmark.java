package org.chatrelay.admin.bench;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.chatrelay.admin.AdminClient;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.ReportReader;
import org.chatrelay.admin.report.QualityReader;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.admin.report.RollupJob;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

/**
 * The 1,000,000-answer benchmark of the admin pages, on H2 and on PostgreSQL: generates the data, rolls it up,
 * adds a tail of answers not rolled up yet, then times the pages over HTTP against the built WAR on embedded Jetty.
 * Prints figures; asserts nothing about time. Run with {@code mvn -B verify -Pbenchmark -DskipPostgresTests=true} (never part of a plain
 * verify); {@code -Dbenchmark.rows=…}, {@code -Dbenchmark.days=…}, {@code -Dbenchmark.databases=h2,postgres}.
 */
class ReportBenchmark {
    static final long ROWS = Long.getLong("benchmark.rows", 1_000_000);
    static final int DAYS = Integer.getInteger("benchmark.days", 90);
    static final int TAIL = Integer.getInteger("benchmark.tail", 2_000);
    static final int RUNS = Integer.getInteger("benchmark.runs", 15);
    static final String USER = "bench-admin";
    static final String PASSWORD = "bench-password-1";

    @Test
    void report_pages_with_a_million_usage_rows() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%n== admin report benchmark: %,d answers over %d days + %,d not rolled up; %d cores, max heap %d MiB, JDK %s, %s %s%n",
                ROWS, DAYS, TAIL, rt.availableProcessors(), rt.maxMemory() >> 20, System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        for (String db : System.getProperty("benchmark.databases", "h2,postgres").split(",")) {
            run(db.trim());
        }
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    static void run(String kind) throws Exception {
        String url;
        String user;
        String password;
        if (kind.equals("h2")) {
            url = "jdbc:h2:file:" + java.nio.file.Path.of("target", "bench", "h2-" + System.nanoTime(), "db").toAbsolutePath();
            user = "sa";
            password = "";
        } else {
            url = TestDb.postgresUrl("admin") + "&reWriteBatchedInserts=true";
            user = "postgres";
            password = "postgres";
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        System.out.printf("%n-- %s (load average %s)%n", kind, loadAverage());
        String reuse = System.getProperty("benchmark.h2.reuse", "");
        if (kind.equals("h2") && !reuse.isEmpty()) {
            // A database an earlier run of today generated and rolled up (its path without .mv.db): saves the ten minutes.
            url = "jdbc:h2:file:" + reuse;
            System.out.printf("reusing %s%n", reuse);
            try (Database database = Database.open(url, user, password)) {
                inProcess(database, today);
            }
        } else {
            prepare(kind, url, user, password, today);
        }
        serve(url, user, password, today);
    }

    static void prepare(String kind, String url, String user, String password, LocalDate today) throws Exception {
        try (Database database = Database.open(url, user, password)) {
            long t0 = System.nanoTime();
            UsageGenerator.generate(database.dataSource(), ROWS, DAYS, today, 1);
            System.out.printf("generated %,d answers (with conversations and messages) in %.1f s%n", ROWS, secs(t0));
            t0 = System.nanoTime();
            long rolled = new RollupJob(database.dataSource()).catchUp();
            System.out.printf("rolled up %,d rows in %.1f s into %,d rollup rows%n", rolled, secs(t0), count(database, "usage_rollup"));
            UsageGenerator.generate(database.dataSource(), TAIL, 1, today, 2);
            if (kind.equals("postgres")) {
                try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("VACUUM ANALYZE");
                }
            }
            inProcess(database, today);
        }
    }

    static void serve(String url, String user, String password, LocalDate today) throws Exception {
        try (AppUnderTest app = AppUnderTest.named("report-benchmark").demo().database(url).settings(Map.of(
                "chatrelay.db.user", user, "chatrelay.db.password", password,
                "chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD, "chatrelay.report.rollup.ms", "86400000")).start()) {
            AdminClient admin = new AdminClient(app.base()).signedIn(USER, PASSWORD);
            time(admin, "report, last 7 days (default)", "admin");
            time(admin, "report, last 30 days", "admin?from=" + today.minusDays(29));
            time(admin, "report, all " + DAYS + " days", "admin?from=" + today.minusDays(DAYS - 1));
            time(admin, "report, 7 days, model + arm filter", "admin?model=deepseek-v3.2&arm=canary");
            time(admin, "report table CSV (by-day, 90 days)", "admin/export/by-day.csv?from=" + today.minusDays(DAYS - 1));
            time(admin, "conversations, newest first", "admin/conversations");
            time(admin, "conversations, text search, 7 days", "admin/conversations?q=kubernetes&from=" + today.minusDays(6));
            time(admin, "raw usage CSV, 1 day", "admin/export/usage.csv?from=" + today.minusDays(1) + "&to=" + today.minusDays(1));
        }
    }

    /** The report computation alone (reads, merges, bootstrap), without HTTP or HTML, for the default and full range. */
    static void inProcess(Database database, LocalDate today) {
        ReportService service = new ReportService(new ReportReader(database.dataSource()), new QualityReader(database.dataSource()));
        for (int days : new int[] {7, DAYS}) {
            ReportFilter filter = ReportFilter.days(today.minusDays(days - 1L), today);
            long[] ms = new long[RUNS];
            for (int i = -3; i < RUNS; i++) {
                long t0 = System.nanoTime();
                service.build(filter);
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            Arrays.sort(ms);
            System.out.printf("%-42s p50 %5d ms  p95 %5d ms  (in process, no HTTP/HTML)%n", "report data, " + days + " days",
                    ms[ms.length / 2], ms[(int) Math.ceil(0.95 * ms.length) - 1]);
        }
    }

    static void time(AdminClient admin, String what, String path) throws Exception {
        List<Long> millis = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < RUNS + 3; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = admin.get(path);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.statusCode() != 200) {
                throw new AssertionError(path + " gave " + r.statusCode());
            }
            bytes = r.body().length();
            if (i >= 3) {
                millis.add(ms);
            }
        }
        long[] s = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%-42s p50 %5d ms  p95 %5d ms  max %5d ms  (%,d chars, %d runs)%n", what, s[s.length / 2],
                s[(int) Math.ceil(0.95 * s.length) - 1], s[s.length - 1], bytes, s.length);
    }

    static long count(Database db, String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Other work on the machine skews wall-clock figures: print it with them. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
