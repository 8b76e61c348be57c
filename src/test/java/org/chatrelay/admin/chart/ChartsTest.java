package org.chatrelay.admin.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.chatrelay.admin.report.Money;
import org.chatrelay.admin.report.Report;
import org.junit.jupiter.api.Test;

class ChartsTest {
    static final LocalDate DAY = LocalDate.parse("2025-03-10");

    @Test
    void a_cost_chart_of_free_answers_has_an_axis_up_to_a_cent_not_a_micro_dollar() {
        Report.Breakdown free = new Report.Breakdown(DAY.toString(), 12, 100, 50, 0, 400.0, 900.0, 0);
        Chart chart = Charts.perDayBars("cost-per-day", "Cost per day (USD)", "cost", List.of(DAY), Map.of(DAY.toString(), free),
                Report.Breakdown::costMicros, Money::show, false);
        assertEquals(List.of("$0.00", "$0.005", "$0.01"), chart.yTicks().stream().map(Chart.Tick::text).toList());
        assertEquals(0.0, chart.bars().get(0).height(), 1e-9);
    }

    @Test
    void a_cost_chart_with_costs_keeps_its_own_scale() {
        Report.Breakdown paid = new Report.Breakdown(DAY.toString(), 12, 100, 50, 3_000_000, 400.0, 900.0, 0);
        Chart chart = Charts.perDayBars("cost-per-day", "Cost per day (USD)", "cost", List.of(DAY), Map.of(DAY.toString(), paid),
                Report.Breakdown::costMicros, v -> String.format(Locale.ROOT, "%.0f", v), false);
        assertEquals("3000000", chart.yTicks().get(chart.yTicks().size() - 1).text());
    }
}
