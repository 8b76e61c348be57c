package org.chatrelay.admin.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Integer micro-dollars as text: exact in CSV, readable on the page. */
public final class Money {
    private Money() {
    }

    /** Exact: six decimals, e.g. {@code 0.001230}. */
    public static String exact(long micros) {
        return BigDecimal.valueOf(micros, 6).toPlainString();
    }

    /** {@code $1,234.57} from a dollar up; below, enough decimals to show the first significant digits. */
    public static String show(double micros) {
        double dollars = micros / 1_000_000;
        if (Math.abs(dollars) >= 1 || dollars == 0) {
            return String.format(java.util.Locale.ROOT, "$%,.2f", dollars);
        }
        BigDecimal d = BigDecimal.valueOf(dollars).round(new java.math.MathContext(3, RoundingMode.HALF_UP));
        return "$" + d.stripTrailingZeros().toPlainString();
    }
}
