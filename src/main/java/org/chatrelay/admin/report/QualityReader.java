package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;

/**
 * Reads the quality side of the report straight from the usage rows of the range, not from the rollups: ratings
 * change, and the regenerate, continue and edit that judge an answer, and the browser's reports, all come after the
 * answer ended, often after its row was rolled up. Counted in SQL per provider and arm; first paints are streamed
 * only from the rows that have one.
 */
public final class QualityReader {
    private static final String COUNTS = "SELECT u.provider, u.arm, COUNT(*) AS answers, COUNT(m.id) AS tracked,"
            + " COUNT(f.rating) AS rated, SUM(CASE WHEN f.rating = 1 THEN 1 ELSE 0 END) AS up,"
            + " SUM(CASE WHEN u.end_reason = 'user_stop' THEN 1 ELSE 0 END) AS stopped,"
            // A replaced answer was replaced by a new answer (regenerate) or by a new question (edit and resend).
            + " SUM(CASE WHEN r.role = 'assistant' THEN 1 ELSE 0 END) AS regenerated,"
            + " SUM(CASE WHEN r.role = 'user' THEN 1 ELSE 0 END) AS edited,"
            // The request to continue an answer is the message right after it (AnswerRewrites.continueAnswer).
            + " SUM(CASE WHEN c.id IS NOT NULL THEN 1 ELSE 0 END) AS continued,"
            + " COUNT(u.buffering_suspected) AS checked, SUM(CASE WHEN u.buffering_suspected THEN 1 ELSE 0 END) AS buffered"
            + " FROM answer_usage u"
            + " LEFT JOIN message m ON m.id = u.message_id"
            + " LEFT JOIN message r ON r.id = m.replaced_by"
            + " LEFT JOIN message c ON c.conversation_id = m.conversation_id AND c.seq = m.seq + 1 AND c.kind = 'continue'"
            + " LEFT JOIN answer_feedback f ON f.usage_id = u.id"
            + " WHERE u.end_reason IS NOT NULL AND u.started_at >= ? AND u.started_at < ?";
    private static final String PAINTS = "SELECT u.provider, u.arm, u.client_ttft_ms FROM answer_usage u"
            + " WHERE u.end_reason IS NOT NULL AND u.client_ttft_ms IS NOT NULL AND u.started_at >= ? AND u.started_at < ?";

    private final DataSource ds;

    public QualityReader(DataSource ds) {
        this.ds = ds;
    }

    /** What the report needs: counts and first-paint histograms, keyed by [provider, arm]. */
    record Read(Map<List<String>, Quality.Counts> counts, Map<List<String>, Histogram> paints) {
        Map<String, Quality.Counts> byArm() {
            Map<String, Quality.Counts> out = new HashMap<>();
            counts.forEach((key, c) -> out.merge(key.get(1), c, Quality.Counts::plus));
            return out;
        }
    }

    Read read(ReportFilter filter) {
        Map<List<String>, Quality.Counts> counts = new HashMap<>();
        Map<List<String>, Histogram> paints = new HashMap<>();
        try (Connection conn = ds.getConnection()) {
            StringBuilder sql = new StringBuilder(COUNTS);
            List<String> values = filter.conditions(sql, "u.model_requested", "u.provider", "u.arm", "u.end_reason", "COALESCE(u.key_id, '')");
            sql.append(" GROUP BY u.provider, u.arm");
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                filter.bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(List.of(rs.getString("provider"), rs.getString("arm")), new Quality.Counts(rs.getLong("answers"),
                                rs.getLong("tracked"), rs.getLong("rated"), rs.getLong("up"), rs.getLong("stopped"),
                                rs.getLong("regenerated"), rs.getLong("continued"), rs.getLong("edited"), rs.getLong("checked"),
                                rs.getLong("buffered")));
                    }
                }
            }
            sql = new StringBuilder(PAINTS);
            values = filter.conditions(sql, "u.model_requested", "u.provider", "u.arm", "u.end_reason", "COALESCE(u.key_id, '')");
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                filter.bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        paints.computeIfAbsent(List.of(rs.getString("provider"), rs.getString("arm")), k -> new Histogram())
                                .record(rs.getInt("client_ttft_ms"));
                    }
                }
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the quality figures of the report", e);
        }
        return new Read(counts, paints);
    }
}
