package org.chatrelay.admin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.chatrelay.admin.report.Report;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.ReportReader;
import org.chatrelay.admin.report.QualityReader;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.admin.report.RollupJob;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

/** A small run of the benchmark's data generator: the data is plausible and the report reads it whole. */
class UsageGeneratorTest {

    @Test
    void three_thousand_synthetic_answers_roll_up_into_a_plausible_report() throws Exception {
        Database db = TestDb.h2();
        try {
            LocalDate last = LocalDate.parse("2025-03-10");
            assertEquals(3_000, UsageGenerator.generate(db.dataSource(), 3_000, 14, last, 42));
            assertEquals(3_000, new RollupJob(db.dataSource()).catchUp());
            // A conversation begun late on the last day may run past midnight: one more day holds every answer.
            Report r = new ReportService(new ReportReader(db.dataSource()), new QualityReader(db.dataSource())).build(ReportFilter.days(last.minusDays(13), last.plusDays(1)));
            assertEquals(3_000, r.totals().answers());
            assertTrue(r.byDay().size() >= 14, "every day has traffic");
            assertEquals(3, r.byModel().size());
            assertEquals(3, r.byProvider().size());
            assertTrue(r.totals().conversations() > 500 && r.totals().conversations() < 1_500, "" + r.totals().conversations());
            assertTrue(r.latency().ttftP50() > 300 && r.latency().ttftP50() < 800, "" + r.latency().ttftP50());
            long errors = r.byDay().stream().mapToLong(Report.Breakdown::errors).sum();
            assertTrue(errors > 3 && errors < 60, "about 1% errors: " + errors);
            Report.ArmRow canary = r.arms().stream().filter(a -> a.arm().equals("canary")).findFirst().orElseThrow();
            assertTrue(canary.answers() > 300 && canary.answers() < 600, "about 15% canary: " + canary.answers());
            assertEquals(2, r.verdicts().size() + 1);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM message")) {
                rs.next();
                assertEquals(6_000, rs.getLong(1), "14 days, all within the 30 days that keep messages: two per answer");
            }
        } finally {
            db.close();
        }
    }
}
