package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One answer as the chat leaves it, with what the visitor did next: a conversation holding the question and the
 * answer, the answer's usage row, and optionally a rating, the browser's reports, and the message that regenerated
 * it, edited its question or asked to continue it.
 */
public record QualityFixture(Instant at, String provider, String arm, int ttftMs, long costMicros, String endReason, Integer rating,
                      String next, Integer clientTtftMs, Boolean buffering) {

    static final String REGENERATE = "regenerate";
    static final String EDIT = "edit";
    static final String CONTINUE = "continue";

    /** The dataset of {@link QualityFiguresTest}, its first answer at {@code t0}: 40 answers per arm. */
    public static void fixedDataset(DataSource ds, Instant t0) {
        for (int i = 0; i < 40; i++) {
            main(t0, i).insert(ds);
            canary(t0, i).insert(ds);
        }
    }

    static QualityFixture main(Instant t0, int i) {
        String next = i < 2 ? CONTINUE : i == 10 || i == 11 ? REGENERATE : i == 20 ? EDIT : null;
        Integer paint = i < 20 ? Integer.valueOf(300 + 10 * i) : i >= 36 ? Integer.valueOf(660 + 10 * (i - 36)) : null;
        return new QualityFixture(t0.plusSeconds(60L * i), i >= 36 ? "backup.example.com" : "api.example.com", "main", 100 + 5 * i, 1000,
                i < 2 ? "user_stop" : "completed", i < 30 ? Integer.valueOf(i % 5 == 0 ? -1 : 1) : null, next, paint,
                i < 20 ? Boolean.FALSE : null);
    }

    static QualityFixture canary(Instant t0, int i) {
        String next = i < 2 ? CONTINUE : i >= 10 && i < 18 ? REGENERATE
                : i >= 20 && i <= 22 ? EDIT : null;
        return new QualityFixture(t0.plusSeconds(60L * i + 30), "api.example.com", "canary", 200 + 5 * i, 590,
                i < 4 ? "user_stop" : "completed", i < 30 ? Integer.valueOf(i % 5 >= 2 ? 1 : -1) : null, next,
                i < 20 ? Integer.valueOf(500 + 10 * i) : null, i < 20 ? Boolean.valueOf(i < 2) : null);
    }

    void insert(DataSource ds) {
        String conversation = UUID.randomUUID().toString();
        String question = UUID.randomUUID().toString();
        String answer = UUID.randomUUID().toString();
        String usage = UUID.randomUUID().toString();
        try (Connection c = ds.getConnection()) {
            update(c, "INSERT INTO conversation (id, visitor_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    conversation, "v-" + arm, "t", utc(at), utc(at));
            message(c, question, conversation, 1, "user", null);
            message(c, answer, conversation, 2, "assistant", null);
            if (next != null) {
                String after = UUID.randomUUID().toString();
                message(c, after, conversation, 3, next.equals(REGENERATE) ? "assistant" : "user", next.equals(CONTINUE) ? "continue" : null);
                if (!next.equals(CONTINUE)) {
                    update(c, "UPDATE message SET replaced_by = ? WHERE id = ?", after, answer);
                    if (next.equals(EDIT)) {
                        update(c, "UPDATE message SET replaced_by = ? WHERE id = ?", after, question);
                    }
                }
            }
            update(c, "INSERT INTO answer_usage (id, message_id, conversation_id, visitor_id, provider, arm, model_requested,"
                            + " prompt_tokens, completion_tokens, usage_source, cost_micros, ttft_ms, total_ms, end_reason, started_at,"
                            + " ended_at, client_ttft_ms, buffering_suspected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    usage, answer, conversation, "v-" + arm, provider, arm, "deepseek-v3.2", 100, 50, "provider", costMicros, ttftMs,
                    ttftMs * 10, endReason, utc(at), utc(at.plusSeconds(5)), clientTtftMs, buffering);
            if (rating != null) {
                update(c, "INSERT INTO answer_feedback (usage_id, rater, source, rating, comment, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", usage, "visitor:v-" + arm, "chat", rating, null, utc(at), utc(at));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void message(Connection c, String id, String conversation, int seq, String role, String kind) throws SQLException {
        update(c, "INSERT INTO message (id, conversation_id, seq, role, content, status, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id, conversation, seq, role, "text " + seq, role.equals("user") ? "sent" : endReason, kind, utc(at));
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    // Untyped: both databases take the column's type.
                    ps.setNull(i + 1, java.sql.Types.NULL);
                } else {
                    ps.setObject(i + 1, values[i]);
                }
            }
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
