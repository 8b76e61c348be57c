package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void wilson_intervals_match_hand_computed_values() {
        assertArrayEquals(new double[] {0.05668, 0.50984}, Stats.wilson(2, 10), 1e-5);
        assertArrayEquals(new double[] {0.03958, 0.23052}, Stats.wilson(4, 40), 1e-5);
        assertArrayEquals(new double[] {0.0, 0.08762}, Stats.wilson(0, 40), 1e-5);
        assertArrayEquals(new double[] {0.0, 1.0}, Stats.wilson(0, 0), 0);
    }

    @Test
    void newcombe_intervals_match_hand_computed_values_and_the_significance_boundary() {
        // 2/40 against 8/40: Wilson [0.01382, 0.16504] and [0.10500, 0.34757]; 0.15 − √(0.09500² + 0.11504²) = +0.00081.
        Stats.Diff eight = Stats.newcombe(2, 40, 8, 40);
        assertEquals(0.15, eight.estimate(), 1e-12);
        assertEquals(0.00081, eight.lo(), 1e-5);
        assertEquals(0.30194, eight.hi(), 1e-5);
        assertTrue(eight.significant());
        Stats.Diff seven = Stats.newcombe(2, 40, 7, 40);
        assertTrue(seven.lo() < 0 && seven.hi() > 0, "7/40 against 2/40 is not significant: " + seven);
        assertFalse(seven.significant());
        Stats.Diff fewer = Stats.newcombe(8, 40, 2, 40);
        assertEquals(-0.30194, fewer.lo(), 1e-5, "symmetric");
        assertTrue(fewer.significant());
        assertEquals(null, Stats.newcombe(0, 0, 3, 10));
    }

    @Test
    void the_beta_shortcut_gives_the_exact_bootstrap_interval_of_a_median_difference() {
        long[] a = new long[40];
        long[] b = new long[40];
        for (int i = 0; i < 40; i++) {
            a[i] = 100 + 5 * i;
            b[i] = 200 + 5 * i;
        }
        Stats.Diff d = Stats.bootstrapDiff(histogram(a), histogram(b), 0.5, 7);
        double[] exact = exactInterval(a, b, 0.5);
        assertEquals(100, d.estimate());
        assertEquals(exact[0], d.lo(), 5.01, "lo vs exact " + Arrays.toString(exact));
        assertEquals(exact[1], d.hi(), 5.01, "hi vs exact " + Arrays.toString(exact));
        assertTrue(d.significant());
    }

    @Test
    void the_beta_shortcut_agrees_with_resampling_rows_at_p95() {
        SplittableRandom r = new SplittableRandom(3);
        long[] a = new long[300];
        long[] b = new long[200];
        for (int i = 0; i < a.length; i++) {
            a[i] = 150 + (long) (400 * -Math.log(1 - r.nextDouble()) / 4);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 160 + (long) (400 * -Math.log(1 - r.nextDouble()) / 4);
        }
        Stats.Diff shortcut = Stats.bootstrapDiff(histogram(a), histogram(b), 0.95, 11);
        double[] naive = naiveInterval(a, b, 0.95, r);
        assertEquals(naive[0], shortcut.lo(), 25, "lo");
        assertEquals(naive[1], shortcut.hi(), 25, "hi");
    }

    @Test
    void identical_arms_are_not_significant() {
        long[] a = new long[100];
        for (int i = 0; i < a.length; i++) {
            a[i] = 200 + (i * 37) % 300;
        }
        Stats.Diff d = Stats.bootstrapDiff(histogram(a), histogram(a), 0.5, 1);
        assertEquals(0, d.estimate());
        assertFalse(d.significant(), d.toString());
    }

    static Histogram histogram(long[] values) {
        Histogram h = new Histogram();
        for (long v : values) {
            h.record(v);
        }
        return h;
    }

    /** P(resample q-percentile <= x_j) = P(Binomial(n, j/n) >= k): the exact distribution, convolved for the difference. */
    static double[] exactInterval(long[] a, long[] b, double q) {
        TreeMap<Long, Double> da = exactDistribution(a, q);
        TreeMap<Long, Double> db = exactDistribution(b, q);
        TreeMap<Long, Double> diff = new TreeMap<>();
        da.forEach((va, pa) -> db.forEach((vb, pb) -> diff.merge(vb - va, pa * pb, Double::sum)));
        double cum = 0;
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (var e : diff.entrySet()) {
            cum += e.getValue();
            if (Double.isNaN(lo) && cum >= 0.025) {
                lo = e.getKey();
            }
            if (Double.isNaN(hi) && cum >= 0.975) {
                hi = e.getKey();
            }
        }
        return new double[] {lo, hi};
    }

    static TreeMap<Long, Double> exactDistribution(long[] values, double q) {
        long[] x = values.clone();
        Arrays.sort(x);
        int n = x.length;
        int k = (int) Math.ceil(q * n);
        TreeMap<Long, Double> out = new TreeMap<>();
        double previous = 0;
        for (int j = 1; j <= n; j++) {
            double cdf = binomialAtLeast(n, (double) j / n, k);
            out.merge(x[j - 1], cdf - previous, Double::sum);
            previous = cdf;
        }
        return out;
    }

    static double binomialAtLeast(int n, double p, int k) {
        double sum = 0;
        for (int i = k; i <= n; i++) {
            sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
        }
        return p >= 1 ? 1 : sum;
    }

    static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }

    static double[] naiveInterval(long[] a, long[] b, double q, SplittableRandom r) {
        double[] diffs = new double[2000];
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] = percentile(resample(b, r), q) - percentile(resample(a, r), q);
        }
        Arrays.sort(diffs);
        return new double[] {diffs[(int) Math.floor(0.025 * 1999)], diffs[(int) Math.ceil(0.975 * 1999)]};
    }

    static long[] resample(long[] v, SplittableRandom r) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[r.nextInt(v.length)];
        }
        return out;
    }

    static double percentile(long[] v, double q) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(q * s.length) - 1];
    }
}
