package org.chatrelay.admin.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.chatrelay.admin.report.Money;

/** Number formats for the admin templates (exposed to them as {@code fmt}); a missing figure shows as a dash. */
public final class Format {
    static final String NONE = "—";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public String ms(Double v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%,.0f ms", v);
    }

    public String ms(Integer v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%,d ms", v);
    }

    public String signedMs(double v) {
        return String.format(Locale.ROOT, "%+,.0f ms", v);
    }

    public String tps(Double v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%,.1f", v);
    }

    public String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    /** A difference of two shares in percentage points, signed: {@code +3.2}. */
    public String points(double difference) {
        return String.format(Locale.ROOT, "%+.1f", difference * 100);
    }

    public String money(long micros) {
        return Money.show(micros);
    }

    public String money(Double micros) {
        return micros == null ? NONE : Money.show(micros);
    }

    public String time(Instant t) {
        return t == null ? NONE : TIME.format(t);
    }

    public String dash(Object v) {
        return v == null || v.toString().isEmpty() ? NONE : v.toString();
    }
}
