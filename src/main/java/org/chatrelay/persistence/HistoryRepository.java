package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The visitor's side of their history: search, rename, delete, the model remembered per conversation, and single
 * messages. Every statement names the visitor, so someone else's id behaves exactly like a missing one.
 */
public final class HistoryRepository {

    private final DataSource ds;

    public HistoryRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** Conversations whose title or current text contains {@code query} (any case), most recently updated first. */
    public List<Conversation> search(String visitorId, String query, int limit) {
        String pattern = "%" + likeEscaped(query.toLowerCase(Locale.ROOT)) + "%";
        String sql = "SELECT c.id, c.visitor_id, c.title, c.model, c.created_at, c.updated_at FROM conversation c"
                + " WHERE c.visitor_id = ? AND (LOWER(c.title) LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM message m"
                + " WHERE m.conversation_id = c.id AND m.replaced_by IS NULL AND LOWER(m.content) LIKE ? ESCAPE '!'))"
                + " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, visitorId);
            ps.setString(2, pattern);
            ps.setString(3, pattern);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Conversation> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Conversation(rs.getString("id"), rs.getString("visitor_id"), rs.getString("title"),
                            rs.getString("model"), Jdbc.getInstant(rs, "created_at"), Jdbc.getInstant(rs, "updated_at")));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot search conversations", e);
        }
    }

    /** Renaming does not touch updated_at: the list keeps its order. False when not the visitor's. */
    public boolean rename(String conversationId, String visitorId, String title) {
        return update("UPDATE conversation SET title = ? WHERE id = ? AND visitor_id = ?",
                AnswerSql.clip(title, 200), conversationId, visitorId) == 1;
    }

    /** The model the next answer in this conversation uses. False when not the visitor's. */
    public boolean rememberModel(String conversationId, String visitorId, String model) {
        return update("UPDATE conversation SET model = ? WHERE id = ? AND visitor_id = ?", model, conversationId, visitorId) == 1;
    }

    /**
     * Deletes the conversation and its messages. Its answer_usage rows stay (message_id becomes NULL, see V1), so
     * the cost history admins see remains true. False when not the visitor's.
     */
    public boolean delete(String conversationId, String visitorId) {
        return update("DELETE FROM conversation WHERE id = ? AND visitor_id = ?", conversationId, visitorId) == 1;
    }

    /** One message of the visitor's, whether current or replaced. */
    public Optional<Message> findMessage(String messageId, String visitorId) {
        String sql = "SELECT m.id, m.conversation_id, m.seq, m.role, m.content, m.status, m.created_at FROM message m"
                + " JOIN conversation c ON c.id = m.conversation_id WHERE m.id = ? AND c.visitor_id = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, messageId);
            ps.setString(2, visitorId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Message(rs.getString("id"), rs.getString("conversation_id"), rs.getInt("seq"),
                        rs.getString("role"), rs.getString("content"), rs.getString("status"), Jdbc.getInstant(rs, "created_at")));
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read message " + messageId, e);
        }
    }

    /** Ids of the conversation's current user messages that ask to continue the answer before them. */
    public Set<String> continueRequests(String conversationId) {
        return ids("SELECT id FROM message WHERE conversation_id = ? AND kind = '" + AnswerRewrites.CONTINUE_KIND
                + "' AND replaced_by IS NULL", conversationId);
    }

    /** How many earlier versions (replaced by a regenerate or an edit) the conversation keeps. */
    public int replacedCount(String conversationId) {
        return ids("SELECT id FROM message WHERE conversation_id = ? AND replaced_by IS NOT NULL", conversationId).size();
    }

    private Set<String> ids(String sql, String conversationId) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> result = new HashSet<>();
                while (rs.next()) {
                    result.add(rs.getString("id"));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read messages of conversation " + conversationId, e);
        }
    }

    private int update(String sql, String... params) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("cannot update conversation", e);
        }
    }

    /** LIKE wildcards in the visitor's query match themselves ('!' is the escape character). */
    static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
