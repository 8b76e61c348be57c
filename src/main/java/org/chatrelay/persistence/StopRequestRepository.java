package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Stop requests between nodes: {@code POST /api/chat/stop} may reach a node other than the one streaming the
 * answer; it leaves a row here for the owning node, which polls {@link #forNode}.
 */
public final class StopRequestRepository {

    /** A Stop waiting for the node that streams {@code messageId}. */
    public record StopRequest(String messageId, String visitorId) {
    }

    // SQLSTATE for a unique violation, the same on H2 and PostgreSQL.
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource ds;

    public StopRequestRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /**
     * Leaves a Stop for the node streaming the answer. The answer must still be streaming and belong to the visitor,
     * so nobody can stop someone else's answer by guessing its id.
     *
     * @return false when the visitor has no such answer streaming
     */
    public boolean request(String messageId, String visitorId, Instant at) {
        String sql = "INSERT INTO stop_request (message_id, visitor_id, node_id, requested_at)"
                + " SELECT m.id, c.visitor_id, m.node_id, ? FROM message m JOIN conversation c ON c.id = m.conversation_id"
                + " WHERE m.id = ? AND c.visitor_id = ? AND m.role = 'assistant' AND m.status = 'streaming'"
                + " AND m.node_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stop_request s WHERE s.message_id = m.id)";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, at);
            ps.setString(2, messageId);
            ps.setString(3, visitorId);
            return ps.executeUpdate() == 1 || pending(conn, messageId, visitorId);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return true; // pressed twice at once: the first row stands
            }
            throw new PersistenceException("cannot record a stop request for " + messageId, e);
        }
    }

    /** The Stops waiting for {@code nodeId}. */
    public List<StopRequest> forNode(String nodeId) {
        String sql = "SELECT message_id, visitor_id FROM stop_request WHERE node_id = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                List<StopRequest> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StopRequest(rs.getString("message_id"), rs.getString("visitor_id")));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the stop requests of node " + nodeId, e);
        }
    }

    public void delete(String messageId) {
        update("DELETE FROM stop_request WHERE message_id = ?", ps -> ps.setString(1, messageId), "cannot delete stop request " + messageId);
    }

    /** Stops nobody collected (the answer ended first, or its node died). */
    public int deleteOlderThan(Instant cutoff) {
        return update("DELETE FROM stop_request WHERE requested_at < ?", ps -> Jdbc.setInstant(ps, 1, cutoff), "cannot sweep stop requests");
    }

    private static boolean pending(Connection conn, String messageId, String visitorId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT message_id FROM stop_request WHERE message_id = ? AND visitor_id = ?")) {
            ps.setString(1, messageId);
            ps.setString(2, visitorId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder, String what) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException(what, e);
        }
    }
}
