package org.chatrelay.admin.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/** A linear y axis from zero to a "nice" top (1, 2 or 5 times a power of ten), with its ticks. */
final class Scale {
    final double top;
    final double step;

    private Scale(double top, double step) {
        this.top = top;
        this.step = step;
    }

    /** For whole numbers (answers): steps of at least one, so no tick label repeats. */
    static Scale countsUpTo(double max) {
        return max < 4 ? new Scale(Math.max(1, Math.ceil(max)), 1) : upTo(max);
    }

    static Scale upTo(double max) {
        if (!(max > 0)) {
            return new Scale(1, 0.25);
        }
        double raw = max / 4;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw <= magnitude ? 1 : raw <= 2 * magnitude ? 2 : raw <= 5 * magnitude ? 5 : 10);
        return new Scale(Math.ceil(max / step) * step, step);
    }

    /** The y coordinate of {@code value} in the plot area. */
    double y(double value) {
        double plot = Chart.HEIGHT - Chart.BOTTOM - Chart.TOP;
        return Chart.HEIGHT - Chart.BOTTOM - plot * value / top;
    }

    List<Chart.Tick> ticks(DoubleFunction<String> format) {
        List<Chart.Tick> ticks = new ArrayList<>();
        for (double v = 0; v <= top + step / 2; v += step) {
            ticks.add(new Chart.Tick(y(v), format.apply(v)));
        }
        return ticks;
    }
}
