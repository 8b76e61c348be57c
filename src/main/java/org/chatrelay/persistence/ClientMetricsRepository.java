package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The browser's reports on an answer, stored on its answer_usage row (V5). Only the visitor who asked can report,
 * and only once per figure: the first report wins, so a replayed request cannot rewrite history.
 */
public final class ClientMetricsRepository {

    private final DataSource ds;

    public ClientMetricsRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** @return false when the visitor has no answer with this message id */
    public boolean recordPaint(String messageId, String visitorId, int clientTtftMs) {
        if (!exists(messageId, visitorId)) {
            return false;
        }
        update("UPDATE answer_usage SET client_ttft_ms = ? WHERE message_id = ? AND visitor_id = ? AND client_ttft_ms IS NULL",
                clientTtftMs, null, messageId, visitorId);
        return true;
    }

    /** @return false when the visitor has no answer with this message id */
    public boolean recordDelivery(String messageId, String visitorId, int maxLagMs, boolean bufferingSuspected) {
        if (!exists(messageId, visitorId)) {
            return false;
        }
        update("UPDATE answer_usage SET client_max_lag_ms = ?, buffering_suspected = ?"
                + " WHERE message_id = ? AND visitor_id = ? AND buffering_suspected IS NULL", maxLagMs, bufferingSuspected, messageId, visitorId);
        return true;
    }

    /** By message id, for the answers of one conversation. */
    public Map<String, ClientMetrics> forConversation(String conversationId) {
        String sql = "SELECT message_id, client_ttft_ms, client_max_lag_ms, buffering_suspected FROM answer_usage"
                + " WHERE conversation_id = ? AND message_id IS NOT NULL";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, ClientMetrics> result = new HashMap<>();
                while (rs.next()) {
                    result.put(rs.getString("message_id"), new ClientMetrics(rs.getObject("client_ttft_ms", Integer.class),
                            rs.getObject("client_max_lag_ms", Integer.class), rs.getObject("buffering_suspected", Boolean.class)));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read client metrics of conversation " + conversationId, e);
        }
    }

    private boolean exists(String messageId, String visitorId) {
        String sql = "SELECT id FROM answer_usage WHERE message_id = ? AND visitor_id = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, messageId);
            ps.setString(2, visitorId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot find the answer " + messageId, e);
        }
    }

    private void update(String sql, int number, Boolean flag, String messageId, String visitorId) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            Jdbc.setInteger(ps, i++, number);
            if (flag != null) {
                ps.setObject(i++, flag, Types.BOOLEAN);
            }
            ps.setString(i++, messageId);
            ps.setString(i, visitorId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("cannot store client metrics of " + messageId, e);
        }
    }
}
