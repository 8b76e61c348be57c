package org.chatrelay.admin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line verdict per arm against the baseline: speed, cost, thumbs-up and the implicit signals, e.g.
 * "canary: 38 ms slower at p50 (±12), 41% cheaper per answer, thumbs-up 71% vs 74% — not a significant difference,
 * no significant difference in regenerate, stop, continue or edit rates, n = 412 / 1,640". A difference is called
 * only when its 95% interval leaves out zero and each arm has enough data; otherwise the line says so.
 */
final class Verdict {
    private static final List<String> SIGNALS = List.of("regenerated", "stopped", "continued", "edited and resent");
    private static final List<String> NAMES = List.of("regenerate", "stop", "continue", "edit");

    private Verdict() {
    }

    static List<String> lines(List<Report.ArmRow> arms, List<Quality.Row> quality) {
        Report.ArmRow base = arms.stream().filter(Report.ArmRow::baseline).findFirst().orElse(null);
        Map<String, Quality.Row> q = new java.util.HashMap<>();
        quality.forEach(r -> q.put(r.arm(), r));
        List<String> out = new ArrayList<>();
        for (Report.ArmRow a : arms) {
            if (!a.baseline() && base != null) {
                out.add(line(a, base, q.get(a.arm())));
            }
        }
        return out;
    }

    static String line(Report.ArmRow arm, Report.ArmRow base, Quality.Row quality) {
        List<String> parts = new ArrayList<>();
        parts.add(speed(arm));
        String cost = cost(arm.costPerAnswerMicros(), base.costPerAnswerMicros());
        if (cost != null) {
            parts.add(cost);
        }
        if (quality != null) {
            parts.add(thumbs(quality.thumbsUp()));
            parts.add(signals(quality));
        }
        return arm.arm() + ": " + String.join(", ", parts) + String.format(Locale.ROOT, ", n = %,d / %,d", arm.answers(), base.answers());
    }

    static String speed(Report.ArmRow arm) {
        if (arm.p50Diff() == null) {
            return String.format(Locale.ROOT, "TTFT: not enough data (at least %d answers with a first token in each arm)", Canary.MIN_SAMPLES);
        }
        for (String which : new String[] {"p50", "p95"}) {
            Stats.Diff d = which.equals("p50") ? arm.p50Diff() : arm.p95Diff();
            if (d.significant()) {
                return String.format(Locale.ROOT, "%,.0f ms %s at %s (±%,.0f)", Math.abs(d.estimate()), d.estimate() > 0 ? "slower" : "faster",
                        which, d.halfWidth());
            }
        }
        Stats.Diff d = arm.p50Diff();
        return String.format(Locale.ROOT, "TTFT p50 %+,.0f ms (95%% CI %+,.0f to %+,.0f) — not a significant difference", d.estimate(), d.lo(), d.hi());
    }

    /** Cost per answer is a measured sum, not a sample estimate: its relative difference is stated as it is. */
    static String cost(Double arm, Double base) {
        if (arm == null || base == null) {
            return null;
        }
        if (base == 0) {
            return arm == 0 ? "free, as the baseline" : "costs " + Money.show(arm) + " per answer where the baseline is free";
        }
        double change = arm / base - 1;
        if (Math.abs(change) < 0.005) {
            return "the same cost per answer";
        }
        return String.format(Locale.ROOT, "%.0f%% %s per answer", Math.abs(change) * 100, change < 0 ? "cheaper" : "dearer");
    }

    static String thumbs(Quality.Rate up) {
        if (!up.comparable()) {
            return String.format(Locale.ROOT, "thumbs-up: not enough ratings (%,d / %,d, at least %d in each arm)", up.n(), up.baselineN(),
                    Quality.MIN_SAMPLES);
        }
        String shares = String.format(Locale.ROOT, "thumbs-up %.0f%% vs %.0f%%", up.share() * 100,
                (up.share() - up.vsBaseline().estimate()) * 100);
        if (!up.significant()) {
            return shares + " — not a significant difference";
        }
        Stats.Diff d = up.vsBaseline();
        return String.format(Locale.ROOT, "%s — significantly %s (%+.0f points, 95%% CI %+.0f to %+.0f)", shares,
                d.estimate() > 0 ? "higher" : "lower", d.estimate() * 100, d.lo() * 100, d.hi() * 100);
    }

    /** Significant differences first, then the signals without one, then those without enough data. */
    static String signals(Quality.Row q) {
        List<Quality.Rate> rates = q.signals();
        List<String> called = new ArrayList<>();
        List<String> same = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            Quality.Rate r = rates.get(i);
            if (r.significant()) {
                called.add(String.format(Locale.ROOT, "%s %s often (%.0f%% vs %.0f%%)", SIGNALS.get(i),
                        r.vsBaseline().estimate() > 0 ? "more" : "less", r.share() * 100, (r.share() - r.vsBaseline().estimate()) * 100));
            } else if (r.comparable()) {
                same.add(NAMES.get(i));
            } else {
                unknown.add(NAMES.get(i));
            }
        }
        List<String> parts = new ArrayList<>(called);
        if (!same.isEmpty()) {
            parts.add("no significant difference in " + list(same) + (same.size() == 1 ? " rate" : " rates"));
        }
        if (!unknown.isEmpty()) {
            parts.add(list(unknown) + (unknown.size() == 1 ? " rate" : " rates") + ": not enough data");
        }
        return String.join("; ", parts);
    }

    private static String list(List<String> names) {
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
