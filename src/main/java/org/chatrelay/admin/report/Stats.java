package org.chatrelay.admin.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The report's intervals: Wilson for proportions, and a bootstrap for differences of percentiles. */
public final class Stats {
    static final double Z95 = 1.959963984540054;
    public static final int REPLICATES = 2_000;

    private Stats() {
    }

    /** The Wilson score 95% interval of {@code k} successes in {@code n} trials, {@code [lo, hi]}; {@code [0, 1]} when n = 0. */
    public static double[] wilson(long k, long n) {
        if (n == 0) {
            return new double[] {0, 1};
        }
        double p = (double) k / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /**
     * The difference of two proportions {@code k2/n2 − k1/n1} with Newcombe's hybrid score 95% interval (his method
     * 10, 1998): each side's distance comes from the two Wilson intervals, so it stays inside [−1, 1], behaves at 0%
     * and 100%, and agrees with the Wilson intervals the page shows beside it. Null when either n is 0.
     */
    public static Diff newcombe(long k1, long n1, long k2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return null;
        }
        double p1 = (double) k1 / n1;
        double p2 = (double) k2 / n2;
        double[] w1 = wilson(k1, n1);
        double[] w2 = wilson(k2, n2);
        double d = p2 - p1;
        return new Diff(d, d - Math.hypot(p2 - w2[0], w1[1] - p1), d + Math.hypot(w2[1] - p2, p1 - w1[0]));
    }

    /** A difference with its 95% interval; significant when the interval leaves out zero. */
    public record Diff(double estimate, double lo, double hi) {
        public boolean significant() {
            return lo > 0 || hi < 0;
        }

        public double halfWidth() {
            return (hi - lo) / 2;
        }
    }

    /**
     * Percentile bootstrap of {@code q}-percentile(b) − {@code q}-percentile(a), each arm resampled with replacement.
     * A resample's k-th smallest value is F⁻¹(U₍ₖ₎), the empirical quantile at the k-th smallest of n uniforms, and
     * U₍ₖ₎ ~ Beta(k, n−k+1): so one replicate costs one Beta draw per arm instead of n draws, with the same
     * distribution as resampling the rows. Seeded, so a page shows the same interval on every reload.
     */
    public static Diff bootstrapDiff(Histogram a, Histogram b, double q, long seed) {
        Quantiles qa = new Quantiles(a);
        Quantiles qb = new Quantiles(b);
        SplittableRandom random = new SplittableRandom(seed);
        double[] diffs = new double[REPLICATES];
        for (int i = 0; i < REPLICATES; i++) {
            diffs[i] = qb.resampled(q, random) - qa.resampled(q, random);
        }
        Arrays.sort(diffs);
        double estimate = b.percentile(q) - a.percentile(q);
        return new Diff(estimate, diffs[(int) Math.floor(0.025 * (REPLICATES - 1))], diffs[(int) Math.ceil(0.975 * (REPLICATES - 1))]);
    }

    /** A histogram's cumulative counts, for fast value-at-rank lookups. */
    static final class Quantiles {
        private final long n;
        private final long[] cumulative;
        private final double[] values;

        Quantiles(Histogram h) {
            int[] size = {0};
            h.forEachBucket((low, high, count) -> size[0]++);
            cumulative = new long[size[0]];
            values = new double[size[0]];
            long[] running = {0};
            int[] i = {0};
            h.forEachBucket((low, high, count) -> {
                running[0] += count;
                cumulative[i[0]] = running[0];
                values[i[0]++] = low + (high - low) / 2.0;
            });
            n = running[0];
        }

        double atRank(long rank) {
            int pos = Arrays.binarySearch(cumulative, rank);
            return values[pos >= 0 ? pos : -pos - 1];
        }

        double resampled(double q, SplittableRandom random) {
            long k = Math.max(1, (long) Math.ceil(q * n - 1e-9));
            double u = beta(k, n - k + 1, random);
            return atRank(Math.min(n, Math.max(1, (long) Math.ceil(u * n))));
        }
    }

    static double beta(double a, double b, SplittableRandom random) {
        double x = gamma(a, random);
        double y = gamma(b, random);
        return x / (x + y);
    }

    /** Marsaglia and Tsang's method, for shape >= 1 (always so here: k >= 1 and n - k + 1 >= 1). */
    static double gamma(double shape, SplittableRandom random) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
