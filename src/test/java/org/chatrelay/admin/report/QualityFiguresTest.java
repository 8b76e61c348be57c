package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verdict's quality figures on a fixed dataset worked out by hand, on H2 and on PostgreSQL.
 * <ul>
 * <li>arm main, 40 answers: TTFT 100, 105, …, 295 ms, 1,000 µ$ each; 30 rated, 24 up (i % 5 ≠ 0); answers 0, 1 stopped
 * and continued, 10, 11 regenerated, 20's question edited and resent. First paint 300, 310, …, 490 ms (answers 0–19,
 * provider api.example.com, buffering checked, none) and 660, 670, 680, 690 ms (answers 36–39, on backup.example.com).</li>
 * <li>arm canary, 40 answers: TTFT 200, 205, …, 395 ms, 590 µ$ each (41% cheaper); 30 rated, 18 up (i % 5 ≥ 2);
 * answers 0–3 stopped, 0, 1 continued, 10–17 regenerated, 20–22 edited. First paint 500, 510, …, 690 ms (answers
 * 0–19, buffering suspected for 0 and 1).</li>
 * </ul>
 * Regenerate, 8 / 40 against 2 / 40, sits just past the significance boundary (Newcombe's interval starts at
 * +0.08 points; 7 / 40 would not be significant, see StatsTest); the thumbs-up gap of 20 points is not significant
 * with 30 ratings per arm.
 */
class QualityFiguresTest {
    static final LocalDate DAY = ReportFiguresTest.DAY;
    static final Instant T0 = ReportFiguresTest.T0;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void quality_figures_and_the_verdict_match_the_hand_computed_ones(String db) {
        Database database = db.equals("h2") ? TestDb.h2() : TestDb.postgres();
        try {
            DataSource ds = database.dataSource();
            QualityFixture.fixedDataset(ds, T0);
            ReportService service = new ReportService(new ReportReader(ds), new QualityReader(ds));
            Report r = service.build(ReportFilter.days(DAY, DAY));
            check(r);
            new RollupJob(ds).catchUp();
            check(service.build(ReportFilter.days(DAY, DAY)));
            // For docs/quality.md, which explains each number of this line.
            Stats.Diff p50 = r.arms().get(1).p50Diff();
            System.out.printf(java.util.Locale.ROOT, "Verdict on the fixed dataset (%s): %s%n  TTFT p50 %.0f vs %.0f ms, difference %.1f ms,"
                    + " bootstrap 95%% interval %.1f to %.1f ms; cost per answer %.0f vs %.0f micro-dollars%n", db, r.verdicts().get(0),
                    r.arms().get(1).ttftP50(), r.arms().get(0).ttftP50(), p50.estimate(), p50.lo(), p50.hi(),
                    r.arms().get(1).costPerAnswerMicros(), r.arms().get(0).costPerAnswerMicros());

            Report stops = service.build(new ReportFilter(DAY, DAY, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("user_stop")));
            assertEquals("canary: TTFT: not enough data (at least 30 answers with a first token in each arm), 41% cheaper per answer,"
                    + " thumbs-up: not enough ratings (4 / 2, at least 30 in each arm), regenerate, stop, continue or edit rates:"
                    + " not enough data, n = 4 / 2", stops.verdicts().get(0));
        } finally {
            database.close();
        }
    }

    static void check(Report r) {
        Quality.Row main = r.quality().get(0);
        Quality.Row canary = r.quality().get(1);
        assertTrue(main.baseline());
        assertEquals("canary", canary.arm());
        assertEquals(40, main.answers());
        assertEquals(40, canary.tracked());

        rate(main.thumbsUp(), 24, 30, 0.62694, 0.90495);
        rate(canary.thumbsUp(), 18, 30, 0.42320, 0.75409);
        // Newcombe: −0.20 − √((0.6 − 0.42320)² + (0.90495 − 0.8)²) = −0.40560; −0.20 + √((0.75409 − 0.6)² + (0.8 − 0.62694)²) = +0.03172.
        diff(canary.thumbsUp(), -0.20, -0.40560, 0.03172, false);

        rate(main.regenerated(), 2, 40, 0.01382, 0.16504);
        rate(canary.regenerated(), 8, 40, 0.10500, 0.34757);
        diff(canary.regenerated(), 0.15, 0.00081, 0.30194, true);
        rate(canary.stopped(), 4, 40, 0.03958, 0.23052);
        diff(canary.stopped(), 0.05, -0.07994, 0.18544, false);
        rate(canary.continued(), 2, 40, 0.01382, 0.16504);
        diff(canary.continued(), 0.0, -0.12059, 0.12059, false);
        rate(main.edited(), 1, 40, 0.00443, 0.12881);
        rate(canary.edited(), 3, 40, 0.02584, 0.19864);
        diff(canary.edited(), 0.05, -0.06487, 0.17534, false);

        // Nearest rank: p50 of 20 values is the 10th, p95 the 19th; of 4 values the 2nd and the 4th.
        Map<String, Quality.BrowserRow> browser = new java.util.HashMap<>();
        r.browser().forEach(b -> browser.put(b.provider() + "/" + b.arm(), b));
        assertEquals(List.of("api.example.com/canary", "api.example.com/main", "backup.example.com/main"),
                r.browser().stream().map(b -> b.provider() + "/" + b.arm()).toList());
        browserRow(browser.get("api.example.com/main"), 20, 390.0, 480.0, 20, 0);
        browserRow(browser.get("api.example.com/canary"), 20, 590.0, 680.0, 20, 2);
        browserRow(browser.get("backup.example.com/main"), 4, 670.0, 690.0, 0, 0);
        assertEquals(0.10, browser.get("api.example.com/canary").bufferedShare(), 1e-12);

        String verdict = r.verdicts().get(0);
        assertTrue(verdict.matches("canary: 100 ms slower at p50 \\(±\\d\\d\\), 41% cheaper per answer, thumbs-up 60% vs 80% — not a"
                + " significant difference, regenerated more often \\(20% vs 5%\\); no significant difference in stop, continue or edit"
                + " rates, n = 40 / 40"), verdict);
        assertFalse(r.verdicts().isEmpty());
    }

    static void rate(Quality.Rate rate, long k, long n, double lo, double hi) {
        assertEquals(k, rate.k());
        assertEquals(n, rate.n());
        assertEquals(lo, rate.lo(), 1e-5);
        assertEquals(hi, rate.hi(), 1e-5);
    }

    static void diff(Quality.Rate rate, double estimate, double lo, double hi, boolean significant) {
        assertEquals(estimate, rate.vsBaseline().estimate(), 1e-12);
        assertEquals(lo, rate.vsBaseline().lo(), 1e-5);
        assertEquals(hi, rate.vsBaseline().hi(), 1e-5);
        assertEquals(significant, rate.significant());
    }

    static void browserRow(Quality.BrowserRow b, long paints, double p50, double p95, long checked, long buffered) {
        assertEquals(paints, b.paints());
        // The report's histograms: exact below 2,048 ms, within 0.1% above (a bucket's midpoint).
        assertEquals(p50, b.paintP50(), p50 < Histogram.EXACT_BELOW ? 0 : p50 * 0.001);
        assertEquals(p95, b.paintP95(), p95 < Histogram.EXACT_BELOW ? 0 : p95 * 0.001);
        assertEquals(checked, b.checked());
        assertEquals(buffered, b.buffered());
    }
}
