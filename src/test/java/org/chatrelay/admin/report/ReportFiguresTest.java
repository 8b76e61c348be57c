package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report on a small fixed dataset whose figures are worked out by hand, on H2 and on PostgreSQL.
 * <ul>
 * <li>arm main: 40 answers, TTFT 100, 105, …, 295 ms; provider usage 100/50 tokens, 1,234 µ$ each; 2 stopped by the user.</li>
 * <li>arm canary: 40 answers, TTFT 200, 205, …, 395 ms; estimated usage 120/60 tokens, 2,000 µ$ each; 4 upstream errors.</li>
 * <li>total time = 10 × TTFT (so above 2,048 ms: bounded error); tokens/s 40.0 (main) and 50.0 (canary); longest gap 50 / 80 ms.</li>
 * <li>visitors v0…v3 (main) and v4, v5 (canary); conversations m0…m9 and k0…k9.</li>
 * <li>noise the report must leave out: one answer the day after, one still streaming.</li>
 * </ul>
 * Half the rows are rolled up before the other half is written, so the report merges rollups and the raw tail;
 * then everything is rolled up and the report must not change.
 */
class ReportFiguresTest {
    static final LocalDate DAY = LocalDate.parse("2025-03-10");
    static final Instant T0 = Instant.parse("2025-03-10T08:00:00Z");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void figures_match_the_hand_computed_ones_before_and_after_the_roll_up(String db) {
        Database database = db.equals("h2") ? TestDb.h2() : TestDb.postgres();
        try {
            RollupJob job = new RollupJob(database.dataSource());
            for (int i = 0; i < 40; i++) {
                UsageRowsFixture.insert(database.dataSource(), main(i));
            }
            assertEquals(40, job.catchUp());
            for (int i = 0; i < 40; i++) {
                UsageRowsFixture.insert(database.dataSource(), canary(i));
            }
            UsageRowsFixture.insert(database.dataSource(), fact(T0.plusSeconds(86_400), "main", 100, "completed", null, "provider", 1L, "v0", "m0"));
            UsageRowsFixture.insert(database.dataSource(), fact(T0, "main", 100, null, null, "none", null, "v0", "m0"));
            ReportService service = new ReportService(new ReportReader(database.dataSource()), new QualityReader(database.dataSource()));
            ReportFilter filter = ReportFilter.days(DAY, DAY);
            Report mixed = service.build(filter);
            check(mixed);
            assertEquals(41, job.catchUp(), "the canary rows and the next day's row; the streaming one waits");
            Report rolled = service.build(filter);
            check(rolled);
            assertEquals(mixed.arms().get(1).p50Diff(), rolled.arms().get(1).p50Diff());
        } finally {
            database.close();
        }
    }

    static void check(Report r) {
        Report.Totals t = r.totals();
        assertEquals(80, t.answers());
        assertEquals(20, t.conversations());
        assertEquals(6, t.visitors());
        assertEquals(40 * 100 + 40 * 120, t.promptTokens());
        assertEquals(40 * 50 + 40 * 60, t.completionTokens());
        assertEquals(49_360, t.costProviderMicros());
        assertEquals(80_000, t.costEstimatedMicros());
        assertEquals(40, t.answersProvider());
        assertEquals(40, t.answersEstimated());

        Report.Latency l = r.latency();
        // 80 TTFTs: 100..195 once, 200..295 twice, 300..395 once. p50 = 40th smallest = 245 (the 10th pair),
        // p95 = 76th = the 16th of 300..395 = 375, p99 = 80th = 395.
        assertEquals(245.0, l.ttftP50());
        assertEquals(375.0, l.ttftP95());
        assertEquals(395.0, l.ttftP99());
        // Total = 10 x TTFT: 2,450 and 3,750 ms, above 2,048 ms so within 0.1%.
        assertEquals(2450, l.totalP50(), 2450 * 0.001);
        assertEquals(3750, l.totalP95(), 3750 * 0.001);
        assertEquals(40.0, l.tokensPerSecondP50());
        assertEquals(80.0, l.gapP95());

        Map<String, Long> errors = r.errors().stream().collect(Collectors.toMap(e -> e.endReason() + "/" + e.errorCode(), Report.ErrorRow::answers));
        assertEquals(Map.of("upstream_error/upstream_5xx", 4L, "user_stop/", 2L), errors);
        assertEquals(List.of("2025-03-10"), r.byDay().stream().map(Report.Breakdown::label).toList());
        assertEquals(4, r.byDay().get(0).errors());
        assertEquals(375.0, r.byDay().get(0).ttftP95(), "one day: the same p95 as the whole range");
        assertEquals(80, r.ttftHistogram().count());

        Report.ArmRow main = r.arms().get(0);
        Report.ArmRow canary = r.arms().get(1);
        assertTrue(main.baseline());
        assertEquals("canary", canary.arm());
        assertEquals(195.0, main.ttftP50());
        assertEquals(295.0, canary.ttftP50());
        assertEquals(0, main.errors());
        assertEquals(0.0, main.errorLo(), 1e-9);
        assertEquals(0.08762, main.errorHi(), 1e-4);
        assertEquals(0.03958, canary.errorLo(), 1e-4);
        assertEquals(0.23052, canary.errorHi(), 1e-4);
        assertEquals(1234.0, main.costPerAnswerMicros());
        assertEquals(2000.0, canary.costPerAnswerMicros());
        assertEquals(24_680.0, main.costPer1kOutputMicros(), 1e-6);
        assertEquals(80_000 * 1000.0 / 2400, canary.costPer1kOutputMicros(), 1e-6);
        assertNull(main.p50Diff());
        Stats.Diff p50 = canary.p50Diff();
        assertEquals(100.0, p50.estimate());
        // The exact bootstrap distribution (see StatsTest) puts the 95% interval near 100 ± 35 ms.
        assertTrue(p50.lo() >= 55 && p50.lo() <= 80, "lo " + p50.lo());
        assertTrue(p50.hi() >= 120 && p50.hi() <= 145, "hi " + p50.hi());
        assertTrue(p50.significant());
        assertEquals(1, r.verdicts().size());
        assertTrue(r.verdicts().get(0).startsWith("canary: 100 ms slower at p50 (±"), r.verdicts().get(0));
        // No messages and no ratings in this dataset: only the stop rate (on the usage rows) can be compared.
        assertTrue(r.verdicts().get(0).endsWith(", 62% dearer per answer, thumbs-up: not enough ratings (0 / 0, at least 30 in each arm),"
                + " no significant difference in stop rate; regenerate, continue or edit rates: not enough data, n = 40 / 40"), r.verdicts().get(0));
        assertFalse(r.options().arms().isEmpty());
    }

    static UsageFact main(int i) {
        return fact(T0.plusSeconds(60L * i), "main", 100 + 5 * i, i < 2 ? "user_stop" : "completed", null, "provider", 1234L,
                "v" + (i % 4), "m" + (i % 10));
    }

    static UsageFact canary(int i) {
        boolean error = i >= 36;
        return fact(T0.plusSeconds(60L * i + 30), "canary", 200 + 5 * i, error ? "upstream_error" : "completed",
                error ? "upstream_5xx" : null, "estimated", 2000L, "v" + (4 + i % 2), "k" + (i % 10));
    }

    static UsageFact fact(Instant at, String arm, int ttft, String end, String error, String source, Long cost, String visitor, String conversation) {
        boolean canary = arm.equals("canary");
        return new UsageFact(at, "deepseek-v3.2", "api.example.com", arm, end, error, source, canary ? 120 : 100, canary ? 60 : 50,
                cost, ttft, ttft * 10, canary ? 50.0 : 40.0, canary ? 80 : 50, visitor, conversation);
    }
}
