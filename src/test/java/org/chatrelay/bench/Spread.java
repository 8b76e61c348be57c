package org.chatrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * One figure measured in every run of the benchmark: its median and its spread, (max − min) / median. A spread over
 * {@link #NOISY} marks the figure as noisy in the report: its runs disagree by more than the effects worth reading.
 */
record Spread(List<Double> values) {
    static final double NOISY = 0.20;

    Spread {
        values = values.stream().filter(v -> !Double.isNaN(v)).toList();
    }

    static Spread of(double... values) {
        List<Double> v = new ArrayList<>();
        for (double d : values) {
            v.add(d);
        }
        return new Spread(v);
    }

    double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** (max − min) / |median|; 0 for one run, NaN without any. */
    double spread() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double m = Math.abs(median());
        return max == min ? 0 : m == 0 ? Double.POSITIVE_INFINITY : (max - min) / m;
    }

    boolean noisy() {
        return spread() > NOISY;
    }

    /** The median formatted, then the spread in brackets (bold and marked ⚠ when it is over 20%). */
    String show(DoubleUnaryOperator unitless, String format) {
        if (values.isEmpty()) {
            return "—";
        }
        String m = String.format(format, unitless.applyAsDouble(median()));
        if (values.size() == 1) {
            return m;
        }
        String s = Double.isInfinite(spread()) ? "∞" : String.format("%.0f%%", spread() * 100);
        return noisy() ? m + " (**" + s + "** ⚠)" : m + " (" + s + ")";
    }
}
