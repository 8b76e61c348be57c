package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Read side of conversations and their messages. Writes happen per answer, in {@link AnswerRepository}. */
public final class ConversationRepository {

    private static final String CONVERSATION_COLUMNS = "id, visitor_id, title, model, created_at, updated_at";

    private final DataSource ds;

    public ConversationRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** Empty when the conversation is missing or owned by someone else: callers cannot tell which. */
    public Optional<Conversation> findOwned(String conversationId, String visitorId) {
        String sql = "SELECT " + CONVERSATION_COLUMNS + " FROM conversation WHERE id = ? AND visitor_id = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            ps.setString(2, visitorId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(conversation(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read conversation " + conversationId, e);
        }
    }

    /** The visitor's conversations, most recently updated first. */
    public List<Conversation> listByVisitor(String visitorId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        String sql = "SELECT " + CONVERSATION_COLUMNS + " FROM conversation WHERE visitor_id = ?"
                + " ORDER BY updated_at DESC, id DESC LIMIT ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, visitorId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Conversation> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(conversation(rs));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot list conversations", e);
        }
    }

    /**
     * The current messages of a conversation in seq order: versions replaced by a regenerate or an edit are kept in
     * the table but are not part of the conversation any more. Ownership is the caller's check, via {@link #findOwned}.
     */
    public List<Message> messages(String conversationId) {
        try (Connection conn = ds.getConnection()) {
            return messages(conn, conversationId);
        } catch (SQLException e) {
            throw new PersistenceException("cannot read messages of conversation " + conversationId, e);
        }
    }

    /** The same on the caller's connection: the openers read the history in the transaction that opens an answer. */
    static List<Message> messages(Connection conn, String conversationId) throws SQLException {
        String sql = "SELECT id, conversation_id, seq, role, content, status, created_at"
                + " FROM message WHERE conversation_id = ? AND replaced_by IS NULL ORDER BY seq";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Message> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Message(rs.getString("id"), rs.getString("conversation_id"), rs.getInt("seq"),
                            rs.getString("role"), rs.getString("content"), rs.getString("status"),
                            Jdbc.getInstant(rs, "created_at")));
                }
                return result;
            }
        }
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString("id"), rs.getString("visitor_id"), rs.getString("title"),
                rs.getString("model"), Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at"));
    }
}
