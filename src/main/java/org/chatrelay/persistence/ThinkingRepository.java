package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The reasoning of thinking models (V10): written in the same transaction as the rest of the answer
 * ({@link AnswerRepository#finishAll}), read for the page, the conversation API and the admin transcript.
 */
public final class ThinkingRepository {
    private static final String COLUMNS = "m.id, m.reasoning, u.first_reasoning_ms, u.thinking_ms, u.reasoning_tokens, u.reasoning_source";
    private final DataSource ds;

    public ThinkingRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** By assistant message id, only the answers that showed reasoning (or whose provider counted reasoning tokens). */
    public Map<String, AnswerThinking> forConversation(String conversationId) {
        String sql = "SELECT " + COLUMNS + " FROM message m LEFT JOIN answer_usage u ON u.message_id = m.id WHERE m.conversation_id = ?"
                + " AND m.role = 'assistant' AND (m.reasoning IS NOT NULL OR u.reasoning_tokens IS NOT NULL)";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, AnswerThinking> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getString("id"), new AnswerThinking(rs.getString("reasoning"),
                            rs.getObject("first_reasoning_ms", Integer.class), rs.getObject("thinking_ms", Integer.class),
                            rs.getObject("reasoning_tokens", Integer.class), rs.getString("reasoning_source")));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the reasoning of conversation " + conversationId, e);
        }
    }

    /** Part of finishing an answer, on its connection; nothing to do for an answer without reasoning. */
    static void finish(Connection conn, AnswerEnd end) throws SQLException {
        AnswerThinking t = end.thinking();
        if (t == null) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE message SET reasoning = ? WHERE id = ? AND role = 'assistant'")) {
            ps.setString(1, t.reasoning() == null || t.reasoning().isEmpty() ? null : Jdbc.withoutNul(t.reasoning()));
            ps.setString(2, end.assistantMessageId());
            ps.executeUpdate();
        }
        String sql = "UPDATE answer_usage SET first_reasoning_ms = ?, thinking_ms = ?, reasoning_tokens = ?, reasoning_source = ? WHERE id = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            Jdbc.setInteger(ps, 1, t.firstReasoningMs());
            Jdbc.setInteger(ps, 2, t.thinkingMs());
            Jdbc.setInteger(ps, 3, t.reasoningTokens());
            ps.setString(4, t.reasoningTokens() == null ? null : t.reasoningSource());
            ps.setString(5, end.usageId());
            ps.executeUpdate();
        }
    }
}
