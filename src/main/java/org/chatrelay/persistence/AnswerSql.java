package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The statements behind {@link AnswerRepository}; each runs on the caller's connection and transaction. */
final class AnswerSql {

    private AnswerSql() {
    }

    static void insertConversation(Connection conn, String id, AnswerStart start, String title) throws SQLException {
        String sql = "INSERT INTO conversation (id, visitor_id, title, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, start.visitorId());
            ps.setString(3, title);
            ps.setString(4, start.modelRequested());
            Jdbc.setInstant(ps, 5, start.startedAt());
            Jdbc.setInstant(ps, 6, start.startedAt());
            ps.executeUpdate();
        }
    }

    static int touchConversation(Connection conn, String id, String visitorId, Instant at) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE conversation SET updated_at = ? WHERE id = ? AND visitor_id = ?")) {
            Jdbc.setInstant(ps, 1, at);
            ps.setString(2, id);
            ps.setString(3, visitorId);
            return ps.executeUpdate();
        }
    }

    static int maxSeq(Connection conn, String conversationId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT COALESCE(MAX(seq), 0) AS max_seq FROM message WHERE conversation_id = ?")) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt("max_seq");
            }
        }
    }

    static void insertMessage(Connection conn, String id, String conversationId, int seq, String role,
                              String content, String status, String nodeId, Instant createdAt) throws SQLException {
        String sql = "INSERT INTO message (id, conversation_id, seq, role, content, status, node_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, conversationId);
            ps.setInt(3, seq);
            ps.setString(4, role);
            ps.setString(5, content);
            ps.setString(6, status);
            ps.setString(7, nodeId);
            Jdbc.setInstant(ps, 8, createdAt);
            ps.executeUpdate();
        }
    }

    static void insertUsage(Connection conn, String id, String messageId, String conversationId, AnswerStart start) throws SQLException {
        String sql = "INSERT INTO answer_usage (id, message_id, conversation_id, visitor_id, node_id, provider, arm,"
                + " model_requested, usage_source, attempts, started_at, key_id, end_user, dialect, streaming)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'none', 1, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, messageId);
            ps.setString(3, conversationId);
            ps.setString(4, start.visitorId());
            ps.setString(5, start.nodeId());
            ps.setString(6, start.provider());
            ps.setString(7, start.arm() == null ? "main" : start.arm());
            ps.setString(8, start.modelRequested());
            Jdbc.setInstant(ps, 9, start.startedAt());
            GatewayFacts g = start.gateway();
            ps.setString(10, g == null ? null : g.keyId());
            ps.setString(11, g == null ? null : g.endUser());
            ps.setString(12, g == null ? null : g.dialect());
            ps.setObject(13, g == null ? null : g.streaming(), java.sql.Types.BOOLEAN);
            ps.executeUpdate();
        }
    }

    static int finishMessage(Connection conn, AnswerEnd end, String content) throws SQLException {
        // Guarded like the usage row: a finished answer's text and status never change again.
        String sql = "UPDATE message SET content = ?, status = ? WHERE id = ? AND conversation_id = ? AND role = 'assistant'"
                + " AND status = 'streaming'";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, content);
            ps.setString(2, end.endReason());
            ps.setString(3, end.assistantMessageId());
            ps.setString(4, end.conversationId());
            return ps.executeUpdate();
        }
    }

    static int finishUsage(Connection conn, AnswerEnd end, String contentFlags) throws SQLException {
        String sql = "UPDATE answer_usage SET model_reported = ?, prompt_tokens = ?, completion_tokens = ?, usage_source = ?,"
                + " cost_micros = ?, ttft_ms = ?, total_ms = ?, tokens_per_second = ?, max_gap_ms = ?, end_reason = ?,"
                + " finish_reason = ?, error_code = ?, content_flags = ?, attempts = ?, ended_at = ?,"
                + " provider = COALESCE(?, provider), no_done = ? WHERE id = ? AND end_reason IS NULL";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            // Provider-supplied strings are clipped to their columns: an odd value must not lose the whole answer.
            ps.setString(1, clip(end.modelReported(), 100));
            Jdbc.setInteger(ps, 2, end.promptTokens());
            Jdbc.setInteger(ps, 3, end.completionTokens());
            ps.setString(4, end.usageSource() == null ? "none" : end.usageSource());
            Jdbc.setLong(ps, 5, end.costMicros());
            Jdbc.setInteger(ps, 6, end.ttftMs());
            Jdbc.setInteger(ps, 7, end.totalMs());
            Jdbc.setDouble(ps, 8, end.tokensPerSecond());
            Jdbc.setInteger(ps, 9, end.maxGapMs());
            ps.setString(10, end.endReason());
            ps.setString(11, clip(end.finishReason(), 32));
            ps.setString(12, clip(end.errorCode(), 64));
            ps.setString(13, contentFlags);
            ps.setInt(14, end.attempts());
            Jdbc.setInstant(ps, 15, end.endedAt());
            ps.setString(16, clip(end.provider(), 64));
            ps.setBoolean(17, end.noDone());
            ps.setString(18, end.usageId());
            return ps.executeUpdate();
        }
    }

    /** Whether a usage row exists, finished or not: tells a late write from a lost row. */
    static boolean usageExists(Connection conn, String usageId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM answer_usage WHERE id = ?")) {
            ps.setString(1, usageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void insertAttempts(Connection conn, String usageId, java.util.List<AttemptRow> attempts) throws SQLException {
        if (attempts.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO answer_attempt (usage_id, attempt_no, provider, model, outcome, http_status, error_code,"
                + " waited_ms, started_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (AttemptRow a : attempts) {
                ps.setString(1, usageId);
                ps.setInt(2, a.number());
                ps.setString(3, clip(a.provider(), 64));
                ps.setString(4, clip(a.model(), 100));
                ps.setString(5, a.outcome());
                Jdbc.setInteger(ps, 6, a.httpStatus());
                ps.setString(7, clip(a.errorCode(), 64));
                ps.setInt(8, a.waitedMs());
                Jdbc.setInstant(ps, 9, a.startedAt());
                ps.setInt(10, a.durationMs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Usage rows go first, while their messages still read 'streaming'. A usage row whose conversation was deleted
     * mid-stream has no message left to match, so it is found by its own node and start time instead.
     */
    static int interrupt(Connection conn, String nodeId, Instant staleBefore, Instant now) throws SQLException {
        String stuck = "role = 'assistant' AND status = 'streaming' AND (node_id = ? OR created_at < ?)";
        String usageSql = "UPDATE answer_usage SET end_reason = 'interrupted', error_code = 'node_restart', ended_at = ?"
                + " WHERE end_reason IS NULL AND (message_id IN (SELECT id FROM message WHERE " + stuck + ")"
                + " OR (message_id IS NULL AND (node_id = ? OR started_at < ?)))";
        try (PreparedStatement ps = conn.prepareStatement(usageSql)) {
            Jdbc.setInstant(ps, 1, now);
            ps.setString(2, nodeId);
            Jdbc.setInstant(ps, 3, staleBefore);
            ps.setString(4, nodeId);
            Jdbc.setInstant(ps, 5, staleBefore);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE message SET status = 'interrupted' WHERE " + stuck)) {
            ps.setString(1, nodeId);
            Jdbc.setInstant(ps, 2, staleBefore);
            return ps.executeUpdate();
        }
    }

    /** Replaces NULs and cuts to {@code max} chars without splitting a surrogate pair. */
    static String clip(String text, int max) {
        String clean = Jdbc.withoutNul(text);
        if (clean == null || clean.length() <= max) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(max - 1)) ? max - 1 : max;
        return clean.substring(0, end);
    }
}
