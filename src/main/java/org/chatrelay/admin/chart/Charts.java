package org.chatrelay.admin.chart;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.chatrelay.admin.report.Histogram;
import org.chatrelay.admin.report.Money;
import org.chatrelay.admin.report.Report;

/** The report's four charts: answers, cost and TTFT p95 per day, and the distribution of TTFT. */
public final class Charts {
    private static final double PLOT_W = Chart.WIDTH - Chart.LEFT - Chart.RIGHT;
    static final int HISTOGRAM_BINS = 40;
    /** A cent, in micro-dollars: the top of a cost axis when every answer was free (not a micro-dollar axis). */
    static final double FREE_COST_TOP = 10_000;

    private Charts() {
    }

    public static List<Chart> of(Report r) {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = r.filter().from(); !d.isAfter(r.filter().to()); d = d.plusDays(1)) {
            days.add(d);
        }
        Map<String, Report.Breakdown> byDay = new HashMap<>();
        r.byDay().forEach(b -> byDay.put(b.label(), b));
        return List.of(
                perDayBars("answers-per-day", "Answers per day", "answers", days, byDay, b -> b.answers(),
                        v -> String.format(Locale.ROOT, "%,.0f", v), true),
                perDayBars("cost-per-day", "Cost per day (USD)", "cost", days, byDay, b -> b.costMicros(),
                        Money::show, false),
                ttftLine(days, byDay),
                histogram(r.ttftHistogram()));
    }

    static Chart perDayBars(String id, String title, String what, List<LocalDate> days, Map<String, Report.Breakdown> byDay,
                            ToDoubleFunction<Report.Breakdown> value, java.util.function.DoubleFunction<String> format,
                            boolean counts) {
        double max = 0;
        for (Report.Breakdown b : byDay.values()) {
            max = Math.max(max, value.applyAsDouble(b));
        }
        Scale scale = counts ? Scale.countsUpTo(max) : Scale.upTo(max > 0 ? max : FREE_COST_TOP);
        double slot = PLOT_W / days.size();
        List<Chart.Bar> bars = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            Report.Breakdown b = byDay.get(days.get(i).toString());
            if (b != null) {
                double v = value.applyAsDouble(b);
                double y = scale.y(v);
                bars.add(new Chart.Bar(Chart.LEFT + i * slot + slot * 0.15, y, slot * 0.7, Chart.HEIGHT - Chart.BOTTOM - y,
                        days.get(i) + ": " + format.apply(v) + " " + what));
            }
        }
        return new Chart(id, title, title + " from " + days.get(0) + " to " + days.get(days.size() - 1) + " (UTC).",
                bars, "", List.of(), dayTicks(days), scale.ticks(format), "day (UTC)", what);
    }

    static Chart ttftLine(List<LocalDate> days, Map<String, Report.Breakdown> byDay) {
        double max = 0;
        for (Report.Breakdown b : byDay.values()) {
            max = b.ttftP95() == null ? max : Math.max(max, b.ttftP95());
        }
        Scale scale = Scale.upTo(max);
        double slot = PLOT_W / days.size();
        List<Chart.Dot> dots = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < days.size(); i++) {
            Report.Breakdown b = byDay.get(days.get(i).toString());
            if (b != null && b.ttftP95() != null) {
                double x = Chart.LEFT + (i + 0.5) * slot;
                double y = scale.y(b.ttftP95());
                dots.add(new Chart.Dot(x, y, String.format(Locale.ROOT, "%s: TTFT p95 %,.0f ms", days.get(i), b.ttftP95())));
                line.append(line.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
        }
        return new Chart("ttft-p95-per-day", "Time to first token, p95 per day (ms)",
                "The 95th percentile of time to first token on each day.", List.of(), line.toString(), dots,
                dayTicks(days), scale.ticks(v -> String.format(Locale.ROOT, "%,.0f", v)), "day (UTC)", "ms");
    }

    /** TTFT counts in bins of equal width on a log scale, from the smallest to the largest value seen. */
    static Chart histogram(Histogram h) {
        long[] range = {Long.MAX_VALUE, 0};
        h.forEachBucket((low, high, count) -> {
            range[0] = Math.min(range[0], Math.max(1, low));
            range[1] = Math.max(range[1], high + 1);
        });
        List<Chart.Bar> bars = new ArrayList<>();
        List<Chart.Tick> xTicks = new ArrayList<>();
        Scale scale = Scale.upTo(1);
        if (h.count() > 0) {
            double lo = Math.log(range[0]);
            double span = Math.max(Math.log(range[1]) - lo, 1e-9);
            long[] bins = new long[HISTOGRAM_BINS];
            h.forEachBucket((low, high, count) -> {
                double mid = Math.max(1, low + (high - low) / 2.0);
                int bin = (int) Math.min(HISTOGRAM_BINS - 1, Math.floor((Math.log(mid) - lo) / span * HISTOGRAM_BINS));
                bins[bin] += count;
            });
            long max = 0;
            for (long b : bins) {
                max = Math.max(max, b);
            }
            scale = Scale.countsUpTo(max);
            double w = PLOT_W / HISTOGRAM_BINS;
            for (int i = 0; i < HISTOGRAM_BINS; i++) {
                if (bins[i] > 0) {
                    double from = Math.exp(lo + span * i / HISTOGRAM_BINS);
                    double to = Math.exp(lo + span * (i + 1) / HISTOGRAM_BINS);
                    double y = scale.y(bins[i]);
                    bars.add(new Chart.Bar(Chart.LEFT + i * w + 0.5, y, w - 1, Chart.HEIGHT - Chart.BOTTOM - y,
                            String.format(Locale.ROOT, "%,.0f–%,.0f ms: %,d answers", from, to, bins[i])));
                }
            }
            for (int i = 0; i <= 4; i++) {
                xTicks.add(new Chart.Tick(Chart.LEFT + PLOT_W * i / 4,
                        String.format(Locale.ROOT, "%,.0f", Math.exp(lo + span * i / 4))));
            }
        }
        return new Chart("ttft-histogram", "Time to first token, distribution (ms, log scale)",
                "How many answers had each time to first token; bins are equal on a logarithmic scale.",
                bars, "", List.of(), xTicks, scale.ticks(v -> String.format(Locale.ROOT, "%,.0f", v)), "ms (log scale)", "answers");
    }

    /** At most about eight date labels, evenly spread, each under its day's slot. */
    static List<Chart.Tick> dayTicks(List<LocalDate> days) {
        List<Chart.Tick> ticks = new ArrayList<>();
        int every = Math.max(1, (int) Math.ceil(days.size() / 8.0));
        double slot = PLOT_W / days.size();
        for (int i = 0; i < days.size(); i += every) {
            ticks.add(new Chart.Tick(Chart.LEFT + (i + 0.5) * slot, days.get(i).toString().substring(5)));
        }
        return ticks;
    }
}
