package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.chatrelay.admin.report.Report;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.QualityReader;
import org.chatrelay.admin.report.ReportReader;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.admin.report.RollupJob;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.RestartablePostgres;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database goes away under a standalone node (its PostgreSQL stopped, then started again on the same data and
 * port): finished answers wait in the node's spool, and a {@code done} the browser saw is an answer stored in full.
 * Uses its own PostgreSQL in both passes of {@code mvn verify}, so the PostgreSQL pass skips it.
 */
class DatabaseOutageIT {
    static final int STREAMS = 200;
    static final long OUTAGE_MS = 20_000;
    static FakeUpstream upstream;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void startUpstream() throws Exception {
        assumeFalse(TestDb.postgresSelected(), "runs on its own PostgreSQL in the first pass");
        upstream = new FakeUpstream();
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    static Map<String, String> env(String db, String nodeId) {
        Map<String, String> env = new HashMap<>(Map.of("CHATRELAY_UPSTREAM_URL", upstream.baseUrl(), "CHATRELAY_MODEL", "deepseek-v3.2",
                "CHATRELAY_DB_URL", db, "CHATRELAY_NODE_ID", nodeId));
        // One test client opens every stream: the per-visitor and per-address limits would refuse most of them.
        env.putAll(Map.of("CHATRELAY_RATE_LIMIT_PER_MINUTE", "0", "CHATRELAY_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0",
                "CHATRELAY_MAX_STREAMS_PER_VISITOR", "0", "CHATRELAY_DAILY_TOKEN_BUDGET", "0"));
        return env;
    }

    @Test
    void a_20_s_outage_under_200_streams_loses_no_answer_and_the_report_equals_a_recount() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres("outage")) {
            String db = pg.createDatabase("outage");
            try (JettyNode node = JettyNode.start("outage", env(db, "outage-1"))) {
                ChatClient client = new ChatClient(node.base()).open();
                CountDownLatch started = new CountDownLatch(STREAMS);
                List<Future<SseStream>> streams = new ArrayList<>();
                for (int i = 0; i < STREAMS; i++) {
                    // 8 to 24 s each: some end before the outage is noticed, most during it, a few after it.
                    String message = "question " + i + " [slow:" + (20 + i % 40) + ":400]";
                    streams.add(pool.submit(() -> client.chatAllowingCut(null, message, onStart(started))));
                }
                assertTrue(started.await(60, TimeUnit.SECONDS), "every stream began: " + started.getCount() + " missing");

                long stoppedAt = System.nanoTime();
                pg.stop();
                HttpResponse<String> refused = client.send(client.post("api/chat", ChatClient.body(null, "during the outage")).build());
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("storage_unavailable", new ObjectMapper().readTree(refused.body()).path("error").path("code").asText(),
                        refused.body());
                awaitReadyz(node, 503, 15_000);
                Thread.sleep(Math.max(0, OUTAGE_MS - (System.nanoTime() - stoppedAt) / 1_000_000));
                pg.start();
                long restartedAt = System.nanoTime();

                List<SseStream> results = new ArrayList<>();
                for (Future<SseStream> f : streams) {
                    results.add(f.get(120, TimeUnit.SECONDS));
                }
                awaitReadyz(node, 200, 30_000);
                Rows rows = new Rows(db);
                awaitAllClosed(rows, 30_000);
                long replayMs = (System.nanoTime() - restartedAt) / 1_000_000;

                int done = 0;
                int lost = 0;
                int unstored = 0;
                List<String> problems = new ArrayList<>();
                for (SseStream s : results) {
                    SseStream.Event end = s.last();
                    if (end.name().equals("error") && "storage_unavailable".equals(end.data().path("code").asText())) {
                        unstored++;
                        continue;
                    }
                    assertEquals("done", end.name(), s.raw.toString());
                    done++;
                    String id = end.data().get("messageId").asText();
                    List<Map<String, Object>> found = rows.query("SELECT u.end_reason, m.status, m.content FROM answer_usage u"
                            + " JOIN message m ON m.id = u.message_id WHERE u.message_id = ?", id);
                    Map<String, Object> u = found.isEmpty() ? Map.of() : found.get(0);
                    if (!s.text().equals(u.get("content")) || !"completed".equals(u.get("end_reason")) || !"completed".equals(u.get("status"))) {
                        lost++;
                        problems.add(id + ": " + u.get("end_reason") + "/" + u.get("status"));
                    }
                }
                long checked = count(rows, "SELECT COUNT(*) AS n FROM answer_usage");
                Report.Totals report = reportAfterRollup(db);
                Map<String, Object> recount = recount(rows);
                int spooled = java.util.regex.Pattern.compile("spooled (\\d+) answers").matcher(node.log()).results()
                        .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
                System.out.printf("[DatabaseOutageIT] streams %d, done %d, storage_unavailable %d, through the spool %d; rows checked %d,"
                                + " rows lost %d; outage %d ms, all rows closed %d ms after the restart; report %d answers / %d+%d tokens,"
                                + " recount %s%n", results.size(), done, unstored, spooled, checked, lost, OUTAGE_MS, replayMs,
                        report.answers(), report.promptTokens(), report.completionTokens(), recount);
                assertTrue(spooled > 0, "the outage hit answers as they ended");

                assertEquals(List.of(), problems, "answers seen as done but not stored in full");
                assertEquals(0, unstored, "the spool had room for every answer");
                assertEquals(STREAMS, checked, "one usage row per stream, none for the chat refused during the outage");
                GracefulShutdownIT.assertConsistent(rows);
                assertReportIs(recount, report);
            }
        }
    }

    @Test
    void after_kill_9_with_answers_in_the_spool_a_restart_stores_each_once() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres("spoolcrash")) {
            String db = pg.createDatabase("spoolcrash");
            try (JettyNode node = JettyNode.start("spoolcrash", env(db, "spoolcrash-1"))) {
                ChatClient client = new ChatClient(node.base()).open();
                int n = 12;
                CountDownLatch started = new CountDownLatch(n);
                List<Future<SseStream>> streams = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String message = "spooled " + i + " [slow:" + (8 + i) + ":250]";
                    streams.add(pool.submit(() -> client.chatAllowingCut(null, message, onStart(started))));
                }
                assertTrue(started.await(30, TimeUnit.SECONDS));
                pg.stop();
                List<SseStream> results = new ArrayList<>();
                for (Future<SseStream> f : streams) {
                    SseStream s = f.get(60, TimeUnit.SECONDS);
                    assertEquals("done", s.last().name(), s.raw.toString());
                    results.add(s);
                }
                Path spoolDir = node.base.resolve("data/spool/spoolcrash-1");
                long spooledBytes = sizeOf(spoolDir);
                assertTrue(spooledBytes > 0, "the answers wait in the spool");

                node.kill();
                pg.start();
                node.launch();
                System.out.printf("[DatabaseOutageIT] kill -9 with %d answers (%d bytes) spooled; restart ready in %d ms%n",
                        n, spooledBytes, node.lastStartMillis());

                Rows rows = new Rows(db);
                for (SseStream s : results) {
                    String id = s.last().data().get("messageId").asText();
                    Map<String, Object> u = rows.endedUsage(id, 5_000);
                    assertEquals("completed", u.get("end_reason"), "replayed before the restart marks this node's answers interrupted");
                    assertEquals(s.text(), u.get("message_content"));
                    assertEquals(1L, count(rows, "SELECT COUNT(*) AS n FROM answer_attempt WHERE usage_id = ?", u.get("id")),
                            "stored once: one attempt row");
                }
                assertEquals(n, count(rows, "SELECT COUNT(*) AS n FROM answer_usage"));
                GracefulShutdownIT.assertConsistent(rows);
                assertTrue(node.log().contains("stored " + n + " answers spooled while the database was unavailable"), node.logTail());
                assertEquals(0L, sizeOf(spoolDir), "the spool is empty after the replay");
                assertReportIs(recount(rows), reportAfterRollup(db));
            }
        }
    }

    /** Counts the stream's start event into {@code started}; never stops reading. */
    static Predicate<SseStream> onStart(CountDownLatch started) {
        return s -> {
            if (s.events.size() == 1 && s.last().name().equals("start")) {
                started.countDown();
            }
            return false;
        };
    }

    static void awaitReadyz(JettyNode node, int status, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        int last = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = new ChatClient(node.base()).http().send(HttpRequest.newBuilder(node.base().resolve("readyz"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/readyz gave " + last + ", not " + status + ", within " + millis + " ms");
    }

    static void awaitAllClosed(Rows rows, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (count(rows, "SELECT COUNT(*) AS n FROM answer_usage WHERE end_reason IS NULL") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    static long count(Rows rows, String sql, Object... params) {
        return ((Number) rows.one(sql, params).get("n")).longValue();
    }

    /** The report's totals counted again from the usage rows themselves. */
    static Map<String, Object> recount(Rows rows) {
        return rows.one("SELECT COUNT(*) AS answers, COALESCE(SUM(prompt_tokens), 0) AS prompt,"
                + " COALESCE(SUM(completion_tokens), 0) AS completion, COALESCE(SUM(cost_micros), 0) AS cost"
                + " FROM answer_usage WHERE end_reason IS NOT NULL");
    }

    static void assertReportIs(Map<String, Object> recount, Report.Totals report) {
        assertEquals(((Number) recount.get("answers")).longValue(), report.answers(), "answers");
        assertEquals(((Number) recount.get("prompt")).longValue(), report.promptTokens(), "prompt tokens");
        assertEquals(((Number) recount.get("completion")).longValue(), report.completionTokens(), "completion tokens");
        assertEquals(((Number) recount.get("cost")).longValue(), report.costMicros(), "cost");
    }

    /** The admin report's totals, read from its rollups after every finished row was folded in. */
    static Report.Totals reportAfterRollup(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        try (RollupJob job = new RollupJob(ds)) {
            job.catchUp();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return new ReportService(new ReportReader(ds), new QualityReader(ds)).build(ReportFilter.days(today.minusDays(1), today.plusDays(1))).totals();
    }

    static long sizeOf(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
