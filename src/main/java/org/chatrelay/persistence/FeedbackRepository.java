package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Ratings of answers (V11 answer_feedback), one per answer, stored on the answer's usage row id so they outlive a
 * deleted conversation. The chat page rates through {@link #rateAnswer}, which finds the usage row of a finished
 * answer of the visitor's; a gateway caller through {@link #rateCall}, which finds the usage row of a finished call
 * of the caller's key.
 */
public final class FeedbackRepository {
    public static final String SOURCE_CHAT = "chat";
    public static final String SOURCE_API = "api";

    private final DataSource ds;

    public FeedbackRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** @return false when the visitor has no finished answer with this message id */
    public boolean rateAnswer(String messageId, String visitorId, Feedback feedback, Instant at) {
        Optional<String> usageId = finishedAnswer(messageId, "visitor_id", visitorId);
        usageId.ifPresent(id -> rate(id, "visitor:" + visitorId, SOURCE_CHAT, feedback, at));
        return usageId.isPresent();
    }

    /** @return false when the key has no finished call whose answer has this message id (another key's calls included) */
    public boolean rateCall(String messageId, String keyId, Feedback feedback, Instant at) {
        Optional<String> usageId = finishedAnswer(messageId, "key_id", keyId);
        usageId.ifPresent(id -> rate(id, "key:" + keyId, SOURCE_API, feedback, at));
        return usageId.isPresent();
    }

    /** Stores or replaces the rating of the answer whose usage row is {@code usageId}. */
    public void rate(String usageId, String rater, String source, Feedback feedback, Instant at) {
        String update = "UPDATE answer_feedback SET rater = ?, source = ?, rating = ?, comment = ?, updated_at = ? WHERE usage_id = ?";
        String insert = "INSERT INTO answer_feedback (rater, source, rating, comment, updated_at, usage_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (Connection conn = ds.getConnection()) {
            if (write(conn, update, usageId, rater, source, feedback, at) == 0) {
                try {
                    write(conn, insert, usageId, rater, source, feedback, at);
                } catch (SQLException e) {
                    // Two first ratings at once (a double click on two tabs): the other insert won, so this one updates.
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    write(conn, update, usageId, rater, source, feedback, at);
                }
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot store the rating of " + usageId, e);
        }
    }

    /** By message id, the ratings of a conversation's answers. */
    public Map<String, Feedback> forConversation(String conversationId) {
        String sql = "SELECT u.message_id, f.rating, f.comment FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id"
                + " WHERE u.conversation_id = ? AND u.message_id IS NOT NULL";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Feedback> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getString("message_id"), Feedback.of(rs.getInt("rating"), rs.getString("comment")));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the ratings of conversation " + conversationId, e);
        }
    }

    /** @param ownerColumn visitor_id or key_id, never a caller's text */
    private Optional<String> finishedAnswer(String messageId, String ownerColumn, String owner) {
        String sql = "SELECT id FROM answer_usage WHERE message_id = ? AND " + ownerColumn + " = ? AND end_reason IS NOT NULL";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, messageId);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString("id")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot find the answer " + messageId, e);
        }
    }

    private static int write(Connection conn, String sql, String usageId, String rater, String source, Feedback f, Instant at)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, rater);
            ps.setString(2, source);
            ps.setInt(3, f.stored());
            ps.setString(4, Jdbc.withoutNul(f.comment()));
            Jdbc.setInstant(ps, 5, at);
            ps.setString(6, usageId);
            if (sql.startsWith("INSERT")) {
                Jdbc.setInstant(ps, 7, at);
            }
            return ps.executeUpdate();
        }
    }
}
