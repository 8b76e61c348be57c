package org.chatrelay.gateway.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;

/**
 * A key's page: its calls and spend today and this month (UTC, as its budgets count them), the latency its clients
 * saw over its latest calls, and its last errors. Read from {@code answer_usage} by {@code (key_id, started_at)}.
 */
public final class KeyUsageRepository {
    /** The latest calls the percentiles are taken over: a bound on what one page view reads. */
    static final int LATENCY_SAMPLE = 10_000;
    private final DataSource ds;

    public KeyUsageRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Calls, tokens and cost since {@code from}. */
    public record Spend(long calls, long promptTokens, long completionTokens, long costMicros) {
    }

    /**
     * Nearest-rank percentiles in ms over the latest calls; {@code firstByte} is what the client waited for its first
     * byte: the first token when it streamed, the whole answer when it did not (V15).
     */
    public record Latency(int calls, Integer firstByteP50, Integer firstByteP95, Integer totalP50, Integer totalP95) {
    }

    public record Failure(Instant startedAt, String model, String provider, String endReason, String errorCode, String dialect) {
    }

    public record Usage(Spend today, Spend month, Latency latency, List<Failure> lastErrors) {
    }

    public Usage of(String keyId, Instant now) {
        LocalDate day = now.atOffset(ZoneOffset.UTC).toLocalDate();
        Instant midnight = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant firstOfMonth = day.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        try (Connection c = ds.getConnection()) {
            return new Usage(spend(c, keyId, midnight), spend(c, keyId, firstOfMonth), latency(c, keyId), failures(c, keyId));
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the usage of gateway key " + keyId, e);
        }
    }

    private static Spend spend(Connection c, String keyId, Instant from) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
                + " COALESCE(SUM(cost_micros), 0) FROM answer_usage WHERE key_id = ? AND started_at >= ?")) {
            ps.setString(1, keyId);
            ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Spend(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    private static Latency latency(Connection c, String keyId) throws SQLException {
        List<Integer> firstByte = new ArrayList<>();
        List<Integer> total = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ttft_ms, total_ms, streaming FROM answer_usage"
                + " WHERE key_id = ? AND end_reason IN ('completed', 'length') ORDER BY started_at DESC")) {
            ps.setMaxRows(LATENCY_SAMPLE);
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer ttft = rs.getObject(1, Integer.class);
                    Integer all = rs.getObject(2, Integer.class);
                    boolean streamed = rs.getBoolean(3);
                    Integer first = streamed ? ttft : all;
                    if (first != null) {
                        firstByte.add(first);
                    }
                    if (all != null) {
                        total.add(all);
                    }
                }
            }
        }
        return new Latency(total.size(), rank(firstByte, 50), rank(firstByte, 95), rank(total, 50), rank(total, 95));
    }

    static Integer rank(List<Integer> values, int percent) {
        if (values.isEmpty()) {
            return null;
        }
        int[] sorted = values.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    private static List<Failure> failures(Connection c, String keyId) throws SQLException {
        List<Failure> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT started_at, model_requested, provider, end_reason, error_code, dialect"
                + " FROM answer_usage WHERE key_id = ? AND error_code IS NOT NULL ORDER BY started_at DESC")) {
            ps.setMaxRows(10);
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Failure(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return out;
    }
}
