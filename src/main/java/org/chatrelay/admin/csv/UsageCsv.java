package org.chatrelay.admin.csv;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.chatrelay.admin.report.Money;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.persistence.PersistenceException;

/**
 * The raw answer_usage rows of a filter, streamed from a database cursor to the response one row at a time:
 * never held in memory, whatever the range. PostgreSQL streams only with auto-commit off and a fetch size.
 */
public final class UsageCsv {
    static final String[] HEADER = {"id", "started_at", "ended_at", "conversation_id", "message_id", "visitor_id", "node_id",
        "provider", "arm", "model_requested", "model_reported", "prompt_tokens", "completion_tokens", "usage_source",
        "cost_usd", "ttft_ms", "total_ms", "tokens_per_second", "max_gap_ms", "end_reason", "finish_reason", "error_code",
        "content_flags", "attempts"};
    private static final String COLUMNS = "id, started_at, ended_at, conversation_id, message_id, visitor_id, node_id, provider,"
            + " arm, model_requested, model_reported, prompt_tokens, completion_tokens, usage_source, cost_micros, ttft_ms,"
            + " total_ms, tokens_per_second, max_gap_ms, end_reason, finish_reason, error_code, content_flags, attempts";

    private UsageCsv() {
    }

    public static long write(DataSource ds, ReportFilter filter, CsvWriter csv) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM answer_usage WHERE started_at >= ? AND started_at < ?");
        List<String> values = filter.conditions(sql, "model_requested", "provider", "arm", "end_reason", "COALESCE(key_id, '')");
        sql.append(" ORDER BY started_at, id");
        csv.row((Object[]) HEADER);
        long rows = 0;
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                ps.setFetchSize(1000);
                filter.bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long cost = rs.getObject("cost_micros", Long.class);
                        csv.row(rs.getString("id"), time(rs, "started_at"), time(rs, "ended_at"), rs.getString("conversation_id"),
                                rs.getString("message_id"), rs.getString("visitor_id"), rs.getString("node_id"),
                                rs.getString("provider"), rs.getString("arm"), rs.getString("model_requested"),
                                rs.getString("model_reported"), rs.getObject("prompt_tokens"), rs.getObject("completion_tokens"),
                                rs.getString("usage_source"), cost == null ? null : Money.exact(cost), rs.getObject("ttft_ms"),
                                rs.getObject("total_ms"), rs.getObject("tokens_per_second"), rs.getObject("max_gap_ms"),
                                rs.getString("end_reason"), rs.getString("finish_reason"), rs.getString("error_code"),
                                rs.getString("content_flags"), rs.getInt("attempts"));
                        rows++;
                    }
                }
            } finally {
                conn.rollback();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot export usage rows", e);
        }
        return rows;
    }

    private static String time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
