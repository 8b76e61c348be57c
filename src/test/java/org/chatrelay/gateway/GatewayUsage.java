package org.chatrelay.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/** Usage rows of gateway calls, as the endpoints will store them: the columns a budget reads and the required ones. */
public final class GatewayUsage {
    private GatewayUsage() {
    }

    public static void insert(DataSource ds, String keyId, Instant startedAt, long costMicros) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO answer_usage (id, conversation_id, visitor_id, provider, model_requested, cost_micros, started_at, key_id)"
                        + " VALUES (?, ?, 'gateway', 'p', 'm', ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, UUID.randomUUID().toString());
            ps.setLong(3, costMicros);
            ps.setObject(4, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC));
            ps.setString(5, keyId);
            ps.executeUpdate();
        }
    }

    /** Everything the key was charged, on any day. */
    public static long spent(DataSource ds, String keyId) throws SQLException {
        return count(ds, "SELECT COALESCE(SUM(cost_micros), 0) FROM answer_usage WHERE key_id = ?", keyId);
    }

    /** A query's one number, for a key. */
    public static long count(DataSource ds, String sql, String keyId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
