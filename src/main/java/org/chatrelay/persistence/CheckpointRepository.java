package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What makes an answer outlive its node and its connection (issue 16): the periodic checkpoints of streaming answers'
 * text, the read a resume starts from (and polls, on a node that does not own the answer), and the stamp by which a
 * viewer on another node keeps the owner's detached answer alive (V16).
 */
public final class CheckpointRepository {
    private static final String READ = "SELECT m.id, m.status, m.content, m.reasoning, u.end_reason, u.error_code, u.finish_reason,"
            + " u.prompt_tokens, u.completion_tokens, u.usage_source, u.cost_micros, u.tokens_per_second, u.ttft_ms, u.total_ms,"
            + " u.first_reasoning_ms, u.thinking_ms, u.reasoning_tokens, u.reasoning_source"
            + " FROM message m JOIN conversation c ON c.id = m.conversation_id LEFT JOIN answer_usage u ON u.message_id = m.id"
            + " WHERE m.id = ? AND c.visitor_id = ? AND m.role = 'assistant'";

    private final DataSource ds;

    public CheckpointRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /**
     * Writes the text of several streaming answers in one transaction, one batched statement. Guarded by
     * {@code status = 'streaming'} like {@code AnswerSql.finishMessage}: a checkpoint taken just before its answer ended
     * and written after the end changes nothing, so a finished row never changes.
     *
     * @return how many rows were written (an answer that ended meanwhile, or whose conversation was deleted, is not)
     */
    public int checkpoint(List<Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE message SET content = ?, reasoning = ? WHERE id = ? AND role = 'assistant' AND status = 'streaming'";
        return Jdbc.inTransaction(ds, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (Checkpoint c : checkpoints) {
                    ps.setString(1, Jdbc.withoutNul(c.content()));
                    ps.setString(2, c.reasoning() == null || c.reasoning().isEmpty() ? null : Jdbc.withoutNul(c.reasoning()));
                    ps.setString(3, c.messageId());
                    ps.addBatch();
                }
                int written = 0;
                for (int n : ps.executeBatch()) {
                    written += Math.max(n, 0);
                }
                return written;
            }
        }, () -> "cannot checkpoint " + checkpoints.size() + " answers");
    }

    /** The visitor's assistant message with what its terminal event needs; empty for another visitor's or an unknown id. */
    public Optional<StoredAnswer> read(String messageId, String visitorId) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(READ)) {
            ps.setString(1, messageId);
            ps.setString(2, visitorId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String reasoning = rs.getString("reasoning");
                return Optional.of(new StoredAnswer(rs.getString("id"), rs.getString("status"), rs.getString("content"),
                        reasoning == null ? "" : reasoning, rs.getString("end_reason"), rs.getString("error_code"),
                        rs.getString("finish_reason"), rs.getObject("prompt_tokens", Integer.class),
                        rs.getObject("completion_tokens", Integer.class), rs.getString("usage_source"), rs.getObject("cost_micros", Long.class),
                        rs.getObject("tokens_per_second", Double.class), rs.getObject("ttft_ms", Integer.class),
                        rs.getObject("total_ms", Integer.class), rs.getObject("first_reasoning_ms", Integer.class),
                        rs.getObject("thinking_ms", Integer.class), rs.getObject("reasoning_tokens", Integer.class),
                        rs.getString("reasoning_source")));
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read answer " + messageId, e);
        }
    }

    /**
     * A viewer on this node watches an answer another node produces: the owner must not end it as abandoned. Stamped by
     * the database's clock, which {@link #viewedAgo} reads too: the two nodes' clocks are never compared.
     */
    public void markViewed(String messageId) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE message SET viewed_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'streaming'")) {
            ps.setString(1, messageId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("cannot mark answer " + messageId + " viewed", e);
        }
    }

    /**
     * How long ago, by the database's clock, a viewer on some node last stamped each of these answers, in one read;
     * an answer never stamped (or unknown) is absent. The age, not the stamp, so no node's own clock is compared.
     */
    public Map<String, Duration> viewedAgo(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Map.of();
        }
        String sql = "SELECT id, viewed_at, CURRENT_TIMESTAMP AS db_now FROM message WHERE viewed_at IS NOT NULL AND id IN ("
                + String.join(", ", Collections.nCopies(messageIds.size(), "?")) + ")";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            for (String id : messageIds) {
                ps.setString(i++, id);
            }
            Map<String, Duration> ago = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ago.put(rs.getString("id"), Duration.between(Jdbc.getInstant(rs, "viewed_at"), Jdbc.getInstant(rs, "db_now")));
                }
            }
            return ago;
        } catch (SQLException e) {
            throw new PersistenceException("cannot read when " + messageIds.size() + " answers were viewed", e);
        }
    }
}
