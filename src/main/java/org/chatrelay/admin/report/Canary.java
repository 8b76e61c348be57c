package org.chatrelay.admin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canary A/B comparison: every arm against the baseline arm ({@code main} when present, else the busiest),
 * with bootstrap intervals for the TTFT p50/p95 differences and Wilson intervals for error rates. The verdict line,
 * which adds cost and quality, is {@link Verdict}'s.
 */
public final class Canary {
    public static final String BASELINE = "main";
    /** Fewer TTFT samples than this in either arm and no verdict is attempted. */
    static final int MIN_SAMPLES = 30;
    private static final long SEED = 0x5eed_ab7eL;

    private Canary() {
    }

    static String baseline(Map<String, Cell> byArm) {
        if (byArm.containsKey(BASELINE)) {
            return BASELINE;
        }
        return byArm.entrySet().stream().max((a, b) -> Long.compare(a.getValue().answers, b.getValue().answers))
                .map(Map.Entry::getKey).orElse(null);
    }

    static List<Report.ArmRow> arms(Map<String, Cell> byArm) {
        String base = baseline(byArm);
        List<Report.ArmRow> rows = new ArrayList<>();
        byArm.forEach((arm, c) -> {
            double[] ci = Stats.wilson(c.errors, c.answers);
            Double perAnswer = c.answers == 0 ? null : (double) c.costMicros() / c.answers;
            Double per1k = c.completionTokens() == 0 ? null : c.costMicros() * 1000.0 / c.completionTokens();
            boolean isBase = arm.equals(base);
            Cell b = byArm.get(base);
            boolean comparable = !isBase && comparable(b, c);
            rows.add(new Report.ArmRow(arm, isBase, c.answers, c.ttft.percentile(0.5), c.ttft.percentile(0.95), c.errors,
                    ci[0], ci[1], perAnswer, per1k,
                    comparable ? Stats.bootstrapDiff(b.ttft, c.ttft, 0.5, SEED) : null,
                    comparable ? Stats.bootstrapDiff(b.ttft, c.ttft, 0.95, SEED + 1) : null));
        });
        rows.sort((x, y) -> Boolean.compare(y.baseline(), x.baseline()));
        return rows;
    }

    static boolean comparable(Cell base, Cell arm) {
        return base != null && base.ttft.count() >= MIN_SAMPLES && arm.ttft.count() >= MIN_SAMPLES;
    }
}
