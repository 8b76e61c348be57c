package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Tokens a visitor used, from {@code answer_usage} itself: every node writes there, so a budget read here holds
 * across nodes, and usage rows outlive deleted conversations, so deleting a chat gives no tokens back.
 */
public final class VisitorUsageRepository {
    private final DataSource ds;

    public VisitorUsageRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** Prompt plus completion tokens of the visitor's answers started at or after {@code since} (ended ones: the rest are still 0). */
    public long tokensSince(String visitorId, Instant since) {
        String sql = "SELECT COALESCE(SUM(COALESCE(prompt_tokens, 0) + COALESCE(completion_tokens, 0)), 0) AS tokens"
                + " FROM answer_usage WHERE visitor_id = ? AND started_at >= ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, visitorId);
            Jdbc.setInstant(ps, 2, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong("tokens");
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the token usage of a visitor", e);
        }
    }
}
