package org.chatrelay.admin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canary verdict's quality side, per arm: the thumbs-up share of rated answers and the implicit signals (the
 * visitor regenerated, stopped, continued, or edited and resent the question of an answer), each a proportion with
 * its Wilson 95% interval and, beside the baseline, the difference with Newcombe's interval. And the browser's side
 * of latency per provider and arm: first paint p50/p95 and the share of answers with suspected buffering.
 */
public final class Quality {
    /** Fewer ratings (or answers, for the implicit signals) than this in either arm and no difference is claimed. */
    public static final int MIN_SAMPLES = 30;

    private Quality() {
    }

    /** What {@link QualityReader} counts for one provider and arm. */
    record Counts(long answers, long tracked, long rated, long up, long stopped, long regenerated, long continued, long edited,
                  long checked, long buffered) {
        Counts plus(Counts o) {
            return new Counts(answers + o.answers, tracked + o.tracked, rated + o.rated, up + o.up, stopped + o.stopped,
                    regenerated + o.regenerated, continued + o.continued, edited + o.edited, checked + o.checked, buffered + o.buffered);
        }

        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@code k} of {@code n}, its Wilson 95% interval, and this arm minus the baseline (null for the baseline). */
    public record Rate(long k, long n, double lo, double hi, Stats.Diff vsBaseline, long baselineN) {
        static Rate of(long k, long n, Rate baseline) {
            double[] ci = Stats.wilson(k, n);
            return baseline == null ? new Rate(k, n, ci[0], ci[1], null, n)
                    : new Rate(k, n, ci[0], ci[1], Stats.newcombe(baseline.k, baseline.n, k, n), baseline.n);
        }

        public double share() {
            return n == 0 ? 0 : (double) k / n;
        }

        /** Both arms have enough answers for a difference to be claimed. */
        public boolean comparable() {
            return vsBaseline != null && n >= MIN_SAMPLES && baselineN >= MIN_SAMPLES;
        }

        public boolean significant() {
            return comparable() && vsBaseline.significant();
        }
    }

    /**
     * One arm. Rates of the implicit signals are over the answers whose messages are still stored ({@code tracked}: a
     * deleted conversation takes them along), except stops, which the usage row itself records.
     */
    public record Row(String arm, boolean baseline, long answers, long tracked, Rate thumbsUp, Rate regenerated, Rate stopped,
                      Rate continued, Rate edited) {
        public List<Rate> signals() {
            return List.of(regenerated, stopped, continued, edited);
        }
    }

    /** First paint (Send to the first token on screen) and the buffering self-check, per provider and arm. */
    public record BrowserRow(String provider, String arm, long paints, Double paintP50, Double paintP95, long checked, long buffered) {
        public double bufferedShare() {
            return checked == 0 ? 0 : (double) buffered / checked;
        }
    }

    static List<Row> rows(Map<String, Counts> byArm, String baseline) {
        if (baseline == null) {
            return List.of();
        }
        Counts base = byArm.getOrDefault(baseline, Counts.ZERO);
        Row b = row(baseline, base, null);
        List<Row> out = new ArrayList<>();
        byArm.forEach((arm, c) -> out.add(arm.equals(baseline) ? b : row(arm, c, b)));
        out.sort((x, y) -> Boolean.compare(y.baseline(), x.baseline()));
        return out;
    }

    private static Row row(String arm, Counts c, Row base) {
        return new Row(arm, base == null, c.answers(), c.tracked(),
                Rate.of(c.up(), c.rated(), base == null ? null : base.thumbsUp()),
                Rate.of(c.regenerated(), c.tracked(), base == null ? null : base.regenerated()),
                Rate.of(c.stopped(), c.answers(), base == null ? null : base.stopped()),
                Rate.of(c.continued(), c.tracked(), base == null ? null : base.continued()),
                Rate.of(c.edited(), c.tracked(), base == null ? null : base.edited()));
    }

    static List<BrowserRow> browserRows(Map<List<String>, Counts> counts, Map<List<String>, Histogram> paints) {
        Map<List<String>, BrowserRow> rows = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        counts.forEach((key, c) -> {
            Histogram h = paints.getOrDefault(key, new Histogram());
            if (h.count() > 0 || c.checked() > 0) {
                rows.put(key, new BrowserRow(key.get(0), key.get(1), h.count(), h.percentile(0.5), h.percentile(0.95),
                        c.checked(), c.buffered()));
            }
        });
        return List.copyOf(rows.values());
    }
}
