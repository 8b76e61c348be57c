package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/** Inserts answer_usage rows directly, as AnswerRepository would have left them once the answer ended. */
final class UsageRowsFixture {
    private UsageRowsFixture() {
    }

    static void insert(DataSource ds, UsageFact f) {
        String sql = "INSERT INTO answer_usage (id, conversation_id, visitor_id, provider, arm, model_requested, model_reported,"
                + " prompt_tokens, completion_tokens, usage_source, cost_micros, ttft_ms, total_ms, tokens_per_second, max_gap_ms,"
                + " end_reason, error_code, started_at, ended_at, thinking_ms, reasoning_tokens, reasoning_source)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, f.conversationId());
            ps.setString(3, f.visitorId());
            ps.setString(4, f.provider());
            ps.setString(5, f.arm());
            ps.setString(6, f.model());
            ps.setString(7, f.model());
            ps.setObject(8, f.promptTokens());
            ps.setObject(9, f.completionTokens());
            ps.setString(10, f.usageSource() == null ? "none" : f.usageSource());
            ps.setObject(11, f.costMicros());
            ps.setObject(12, f.ttftMs());
            ps.setObject(13, f.totalMs());
            ps.setObject(14, f.tokensPerSecond());
            ps.setObject(15, f.maxGapMs());
            ps.setString(16, f.endReason());
            ps.setString(17, f.errorCode());
            ps.setObject(18, utc(f.startedAt()));
            ps.setObject(19, f.endReason() == null ? null : utc(f.startedAt().plusSeconds(5)));
            ps.setObject(20, f.thinkingMs());
            ps.setObject(21, f.reasoningTokens());
            ps.setString(22, f.reasoningSource());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
