package org.chatrelay.admin.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The report's validated parameters (docs/security-checklist.md S8): an inclusive range of UTC days, by default the
 * last 7, and optional model, provider, arm, end-reason, gateway key and source ({@code chat} page or {@code gateway})
 * filters. Anything malformed is a {@link BadFilterException}, so no raw parameter ever reaches SQL text; values are
 * bound as parameters.
 */
public record ReportFilter(LocalDate from, LocalDate to, Optional<String> model, Optional<String> provider,
                           Optional<String> arm, Optional<String> endReason, Optional<String> key, Optional<String> source) {

    public static final String SOURCE_CHAT = "chat";
    public static final String SOURCE_GATEWAY = "gateway";

    public ReportFilter(LocalDate from, LocalDate to, Optional<String> model, Optional<String> provider, Optional<String> arm,
                        Optional<String> endReason) {
        this(from, to, model, provider, arm, endReason, Optional.empty(), Optional.empty());
    }

    public static final int DEFAULT_DAYS = 7;
    public static final int MAX_DAYS = 366;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._:/@+ -]{1,100}");

    /** @param endReasons the codes an answer can end with (the relay's), the only values end_reason may take */
    public static ReportFilter parse(Map<String, String[]> params, LocalDate today, List<String> endReasons) {
        LocalDate to = date(params, "to").orElse(today);
        LocalDate from = date(params, "from").orElse(to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw new BadFilterException("from must not be after to.");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new BadFilterException("A report covers at most " + MAX_DAYS + " days.");
        }
        Optional<String> end = name(params, "end_reason");
        if (end.isPresent() && !endReasons.contains(end.get())) {
            throw new BadFilterException("end_reason must be one of " + String.join(", ", endReasons) + ".");
        }
        Optional<String> source = name(params, "source");
        if (source.isPresent() && !source.get().equals(SOURCE_CHAT) && !source.get().equals(SOURCE_GATEWAY)) {
            throw new BadFilterException("source must be chat or gateway.");
        }
        return new ReportFilter(from, to, name(params, "model"), name(params, "provider"), name(params, "arm"), end,
                name(params, "key"), source);
    }

    public static ReportFilter days(LocalDate from, LocalDate to) {
        return new ReportFilter(from, to, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Optional<LocalDate> date(Map<String, String[]> params, String name) {
        Optional<String> raw = first(params, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!DATE.matcher(raw.get()).matches()) {
            throw new BadFilterException(name + " must be a date like 2025-01-31.");
        }
        try {
            return Optional.of(LocalDate.parse(raw.get()));
        } catch (DateTimeParseException e) {
            throw new BadFilterException(name + " must be a real calendar date like 2025-01-31.");
        }
    }

    static Optional<String> name(Map<String, String[]> params, String name) {
        Optional<String> raw = first(params, name);
        if (raw.isPresent() && !NAME.matcher(raw.get()).matches()) {
            throw new BadFilterException(name + " may hold only letters, digits, spaces and . _ : / @ + - (at most 100).");
        }
        return raw;
    }

    static Optional<String> first(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 || values[0].isBlank() ? Optional.empty() : Optional.of(values[0].strip());
    }

    /** Appends {@code AND column = ?} for each set filter, with the given column names; returns the values to bind. */
    public List<String> conditions(StringBuilder sql, String modelColumn, String providerColumn, String armColumn, String endColumn,
                                   String keyColumn) {
        List<String> values = new ArrayList<>();
        condition(sql, values, modelColumn, model);
        condition(sql, values, providerColumn, provider);
        condition(sql, values, armColumn, arm);
        condition(sql, values, endColumn, endReason);
        condition(sql, values, keyColumn, key);
        // The key column is '' for the chat page's rows (the rollups' own value, COALESCE on answer_usage).
        source.ifPresent(s -> sql.append(" AND ").append(keyColumn).append(s.equals(SOURCE_CHAT) ? " = ''" : " <> ''"));
        return values;
    }

    /**
     * Binds a query written as {@code … started_at >= ? AND started_at < ?} followed by {@link #conditions}: the
     * range's first UTC midnight, the midnight after its last day, then the condition values.
     */
    public void bind(PreparedStatement ps, List<String> values) throws SQLException {
        ps.setObject(1, OffsetDateTime.of(from.atStartOfDay(), ZoneOffset.UTC));
        ps.setObject(2, OffsetDateTime.of(to.plusDays(1).atStartOfDay(), ZoneOffset.UTC));
        for (int i = 0; i < values.size(); i++) {
            ps.setString(3 + i, values.get(i));
        }
    }

    private static void condition(StringBuilder sql, List<String> values, String column, Optional<String> value) {
        value.ifPresent(v -> {
            sql.append(" AND ").append(column).append(" = ?");
            values.add(v);
        });
    }

    /** The filter as a URL query string, for links (CSV export, chart drill-downs). */
    public String query() {
        StringBuilder q = new StringBuilder("from=" + from + "&to=" + to);
        model.ifPresent(v -> q.append("&model=").append(enc(v)));
        provider.ifPresent(v -> q.append("&provider=").append(enc(v)));
        arm.ifPresent(v -> q.append("&arm=").append(enc(v)));
        endReason.ifPresent(v -> q.append("&end_reason=").append(enc(v)));
        key.ifPresent(v -> q.append("&key=").append(enc(v)));
        source.ifPresent(v -> q.append("&source=").append(enc(v)));
        return q.toString();
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
