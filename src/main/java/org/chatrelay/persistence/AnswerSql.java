package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements behind {@link AnswerRepository}; each runs on the caller's connection and transaction.
 *
 * <p>Why this file is over 250 lines: an answer's opening binds the same parts whether it goes as one string
 * (PostgreSQL) or as one statement per row (H2, and the rewrites' inserts), and its finish binds the columns the
 * opening left open; kept together, a column added to a row is added to every statement that writes it in one place.
 */
final class AnswerSql {

    private AnswerSql() {
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

    private static final String INSERT_CONVERSATION = "INSERT INTO conversation (id, visitor_id, title, model, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_MESSAGE = "INSERT INTO message (id, conversation_id, seq, role, content, status, node_id,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_USAGE = "INSERT INTO answer_usage (id, message_id, conversation_id, visitor_id, node_id,"
            + " provider, arm, model_requested, usage_source, attempts, started_at, key_id, end_user, dialect, streaming)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'none', 1, ?, ?, ?, ?, ?)";

    /** Binds one part of a statement from parameter {@code at} on; returns the next part's first index. */
    @FunctionalInterface
    private interface Binder {
        int bind(PreparedStatement ps, int at) throws SQLException;
    }

    private record Part(String sql, Binder binder) {
    }

    /**
     * An answer's opening rows: a new conversation when {@code title} is not null, then the user message at
     * {@code seq + 1}, the assistant placeholder at {@code seq + 2} and the open usage row. Run it through
     * {@link Jdbc#atomically} or in a transaction.
     * <p>
     * On PostgreSQL the parts go as one statement (the SQL joined by semicolons, the parameters numbered through):
     * pgjdbc sends them in one round trip where separate statements took one each. On H2, in this process, round trips
     * cost nothing and such a string costs more: H2 parses the parts after the first on every execution (its
     * statement cache keeps only the first), measured as +30% of begin's CPU; so there each part is its own statement.
     */
    static void insertOpening(Connection conn, AnswerIds ids, String title, int seq, AnswerStart start, String userText)
            throws SQLException {
        List<Part> parts = new ArrayList<>(4);
        if (title != null) {
            parts.add(new Part(INSERT_CONVERSATION, (ps, at) -> {
                ps.setString(at, ids.conversationId());
                ps.setString(at + 1, start.visitorId());
                ps.setString(at + 2, title);
                ps.setString(at + 3, start.modelRequested());
                Jdbc.setInstant(ps, at + 4, start.startedAt());
                Jdbc.setInstant(ps, at + 5, start.startedAt());
                return at + 6;
            }));
        }
        parts.add(new Part(INSERT_MESSAGE, (ps, at) -> bindMessage(ps, at, ids.userMessageId(), ids.conversationId(), seq + 1,
                "user", userText, "sent", null, start.startedAt())));
        parts.add(new Part(INSERT_MESSAGE, (ps, at) -> bindMessage(ps, at, ids.assistantMessageId(), ids.conversationId(),
                seq + 2, "assistant", "", "streaming", start.nodeId(), start.startedAt())));
        parts.add(new Part(INSERT_USAGE, (ps, at) -> bindUsage(ps, at, ids.usageId(), ids.assistantMessageId(), ids.conversationId(),
                start)));
        if (Jdbc.isPostgres(conn)) {
            String sql = String.join("; ", parts.stream().map(Part::sql).toList());
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                int at = 1;
                for (Part part : parts) {
                    at = part.binder().bind(ps, at);
                }
                ps.executeUpdate();
            }
            return;
        }
        for (Part part : parts) {
            try (PreparedStatement ps = conn.prepareStatement(part.sql())) {
                part.binder().bind(ps, 1);
                ps.executeUpdate();
            }
        }
    }

    static void insertMessage(Connection conn, String id, String conversationId, int seq, String role,
                              String content, String status, String nodeId, Instant createdAt) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(INSERT_MESSAGE)) {
            bindMessage(ps, 1, id, conversationId, seq, role, content, status, nodeId, createdAt);
            ps.executeUpdate();
        }
    }

    static void insertUsage(Connection conn, String id, String messageId, String conversationId, AnswerStart start) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(INSERT_USAGE)) {
            bindUsage(ps, 1, id, messageId, conversationId, start);
            ps.executeUpdate();
        }
    }

    /** @return the next parameter's index */
    private static int bindMessage(PreparedStatement ps, int at, String id, String conversationId, int seq, String role,
                                   String content, String status, String nodeId, Instant createdAt) throws SQLException {
        ps.setString(at, id);
        ps.setString(at + 1, conversationId);
        ps.setInt(at + 2, seq);
        ps.setString(at + 3, role);
        ps.setString(at + 4, content);
        ps.setString(at + 5, status);
        ps.setString(at + 6, nodeId);
        Jdbc.setInstant(ps, at + 7, createdAt);
        return at + 8;
    }

    private static int bindUsage(PreparedStatement ps, int at, String id, String messageId, String conversationId, AnswerStart start)
            throws SQLException {
        ps.setString(at, id);
        ps.setString(at + 1, messageId);
        ps.setString(at + 2, conversationId);
        ps.setString(at + 3, start.visitorId());
        ps.setString(at + 4, start.nodeId());
        ps.setString(at + 5, start.provider());
        ps.setString(at + 6, start.arm() == null ? "main" : start.arm());
        ps.setString(at + 7, start.modelRequested());
        Jdbc.setInstant(ps, at + 8, start.startedAt());
        GatewayFacts g = start.gateway();
        ps.setString(at + 9, g == null ? null : g.keyId());
        ps.setString(at + 10, g == null ? null : g.endUser());
        ps.setString(at + 11, g == null ? null : g.dialect());
        ps.setObject(at + 12, g == null ? null : g.streaming(), java.sql.Types.BOOLEAN);
        return at + 13;
    }

    /**
     * Each answer's message in one batch (one round trip however many answers a write finishes together). Guarded like
     * the usage row: a finished answer's text and status never change again. Zero rows for an answer is fine: the
     * visitor may have deleted the conversation while the answer streamed.
     */
    static void finishMessages(Connection conn, List<AnswerEnd> ends) throws SQLException {
        String sql = "UPDATE message SET content = ?, status = ? WHERE id = ? AND conversation_id = ? AND role = 'assistant'"
                + " AND status = 'streaming'";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (AnswerEnd end : ends) {
                ps.setString(1, Jdbc.withoutNul(content(end)));
                ps.setString(2, end.endReason());
                ps.setString(3, end.assistantMessageId());
                ps.setString(4, end.conversationId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Each answer's usage row in one batch; guarded so a finished row never changes.
     *
     * @return per answer, the rows changed: 0 for a row already finished or missing
     */
    static int[] finishUsage(Connection conn, List<AnswerEnd> ends) throws SQLException {
        String sql = "UPDATE answer_usage SET model_reported = ?, prompt_tokens = ?, completion_tokens = ?, usage_source = ?,"
                + " cost_micros = ?, ttft_ms = ?, total_ms = ?, tokens_per_second = ?, max_gap_ms = ?, end_reason = ?,"
                + " finish_reason = ?, error_code = ?, content_flags = ?, attempts = ?, ended_at = ?,"
                + " provider = COALESCE(?, provider), no_done = ? WHERE id = ? AND end_reason IS NULL";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (AnswerEnd end : ends) {
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
                ps.setString(13, Jdbc.hasNul(content(end)) ? AnswerRepository.NUL_REPLACED : null);
                ps.setInt(14, end.attempts());
                Jdbc.setInstant(ps, 15, end.endedAt());
                ps.setString(16, clip(end.provider(), 64));
                ps.setBoolean(17, end.noDone());
                ps.setString(18, end.usageId());
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    private static String content(AnswerEnd end) {
        return end.content() == null ? "" : end.content();
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

    /** Every answer's attempts in one batch. */
    static void insertAttempts(Connection conn, List<AnswerEnd> ends) throws SQLException {
        if (ends.stream().allMatch(end -> end.attemptLog().isEmpty())) {
            return;
        }
        String sql = "INSERT INTO answer_attempt (usage_id, attempt_no, provider, model, outcome, http_status, error_code,"
                + " waited_ms, started_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (AnswerEnd end : ends) {
                for (AttemptRow a : end.attemptLog()) {
                    ps.setString(1, end.usageId());
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
