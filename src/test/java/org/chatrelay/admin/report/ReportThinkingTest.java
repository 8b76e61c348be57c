package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: thinking time and reasoning tokens per model, provider and arm, from the raw tail and from the rollups
 * alike, on H2 and on PostgreSQL. Four answers of a thinking model (thinking 1-4 s, 100 reasoning tokens each, two
 * of them estimated) beside three of a model that does not think.
 */
class ReportThinkingTest {
    static final LocalDate DAY = LocalDate.parse("2025-03-10");
    static final Instant T0 = Instant.parse("2025-03-10T08:00:00Z");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void thinking_figures_per_model_provider_and_arm_survive_the_roll_up(String db) {
        Database database = db.equals("h2") ? TestDb.h2() : TestDb.postgres();
        try {
            RollupJob job = new RollupJob(database.dataSource());
            for (int i = 0; i < 2; i++) {
                UsageRowsFixture.insert(database.dataSource(), thinker(i));
            }
            assertEquals(2, job.catchUp());
            for (int i = 2; i < 4; i++) {
                UsageRowsFixture.insert(database.dataSource(), thinker(i));
            }
            for (int i = 0; i < 3; i++) {
                UsageRowsFixture.insert(database.dataSource(), new UsageFact(T0.plusSeconds(i), "deepseek-v3.2", "deepseek", "canary",
                        "completed", null, "provider", 10, 20, 5L, 300, 900, 40.0, 50, "v9", "c9"));
            }
            ReportService service = new ReportService(new ReportReader(database.dataSource()), new QualityReader(database.dataSource()));
            ReportFilter filter = ReportFilter.days(DAY, DAY);
            check(service.build(filter));
            assertEquals(5, job.catchUp());
            check(service.build(filter));
        } finally {
            database.close();
        }
    }

    static void check(Report r) {
        Report.Thinking t = r.thinking();
        assertEquals(List.of(new Report.ThinkingRow("claude-thinker", 4, 4, 2500.0, 400, 200)), t.byModel());
        assertEquals(List.of(new Report.ThinkingRow("claude", 4, 4, 2500.0, 400, 200)), t.byProvider());
        assertEquals(List.of(new Report.ThinkingRow("main", 4, 4, 2500.0, 400, 200)), t.byArm(), "the canary arm did not think");
        assertEquals(7, r.totals().answers());
        assertFalse(r.byModel().isEmpty());
    }

    static UsageFact thinker(int i) {
        return new UsageFact(T0.plusSeconds(60L * i), "claude-thinker", "claude", "main", "completed", null, "provider", 10, 120,
                50L, 1000 * (i + 1) + 200, 5000, 30.0, 80, "v" + i, "c" + i, 1000 * (i + 1), 100, i % 2 == 0 ? "provider" : "estimated");
    }
}
