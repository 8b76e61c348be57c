package org.chatrelay.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;

/** The answer_usage column list and its mapping to {@link UsageRecord}, kept in one place so they cannot drift apart. */
final class UsageRows {

    static final String COLUMNS = "id, message_id, conversation_id, visitor_id, node_id, provider, arm,"
            + " model_requested, model_reported, prompt_tokens, completion_tokens, usage_source, cost_micros,"
            + " ttft_ms, total_ms, tokens_per_second, max_gap_ms, end_reason, finish_reason, error_code,"
            + " content_flags, attempts, started_at, ended_at, no_done";

    private UsageRows() {
    }

    static UsageRecord map(ResultSet rs) throws SQLException {
        return new UsageRecord(
                rs.getString("id"),
                rs.getString("message_id"),
                rs.getString("conversation_id"),
                rs.getString("visitor_id"),
                rs.getString("node_id"),
                rs.getString("provider"),
                rs.getString("arm"),
                rs.getString("model_requested"),
                rs.getString("model_reported"),
                rs.getObject("prompt_tokens", Integer.class),
                rs.getObject("completion_tokens", Integer.class),
                rs.getString("usage_source"),
                rs.getObject("cost_micros", Long.class),
                rs.getObject("ttft_ms", Integer.class),
                rs.getObject("total_ms", Integer.class),
                rs.getObject("tokens_per_second", Double.class),
                rs.getObject("max_gap_ms", Integer.class),
                rs.getString("end_reason"),
                rs.getString("finish_reason"),
                rs.getString("error_code"),
                rs.getString("content_flags"),
                rs.getInt("attempts"),
                Jdbc.getInstant(rs, "started_at"),
                Jdbc.getInstant(rs, "ended_at"),
                rs.getBoolean("no_done"));
    }
}
