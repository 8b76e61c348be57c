package org.chatrelay.admin.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.chatrelay.persistence.EndReason;

/** The SQL of the rollups; every statement runs on the caller's connection and transaction. */
final class RollupStore {
    static final String FACT_COLUMNS = "id, started_at, model_requested, provider, arm, end_reason, error_code, usage_source,"
            + " prompt_tokens, completion_tokens, cost_micros, ttft_ms, total_ms, tokens_per_second, max_gap_ms, visitor_id,"
            + " conversation_id, thinking_ms, reasoning_tokens, reasoning_source";
    private static final String CELL_COLUMNS = "answers, answers_provider, answers_estimated, answers_unpriced,"
            + " prompt_tokens_provider, completion_tokens_provider, prompt_tokens_estimated, completion_tokens_estimated,"
            + " cost_provider_micros, cost_estimated_micros, ttft_hist, total_hist, tps_hist, gap_hist, visitors, conversations,"
            + " answers_thinking, thinking_ms_sum, reasoning_tokens, reasoning_tokens_estimated";
    private static final String KEY_COLUMNS = "usage_day, model, provider, arm, end_reason, error_code, key_id";

    private RollupStore() {
    }

    /** Serialises roll-up batches and report reads across threads and nodes; held until the transaction ends. */
    static void lock(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM usage_rollup_lock WHERE name = ? FOR UPDATE")) {
            ps.setString(1, "usage");
            ps.executeQuery().close();
        }
    }

    record Pending(String id, UsageFact fact) {
    }

    static List<Pending> pending(Connection conn, int limit) throws SQLException {
        // Any finished rows will do, but the planners need opposite hints after a bulk load: H2 walks the rolled_up
        // index as is and would sort every pending row for an ORDER BY; PostgreSQL, whose statistics then say "all
        // pending", would scan the table from the start every batch, rereading the rows already rolled up, unless
        // the ORDER BY makes the index the cheaper plan.
        boolean postgres = conn.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        String sql = "SELECT " + FACT_COLUMNS + " FROM answer_usage WHERE rolled_up = FALSE AND end_reason IS NOT NULL"
                + (postgres ? " ORDER BY started_at" : "") + " LIMIT ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setInt(1, limit);
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString("id"), fact(rs)));
                }
            }
            return out;
        }
    }

    static void markRolledUp(Connection conn, List<Pending> rows) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE answer_usage SET rolled_up = TRUE WHERE id = ?")) {
            for (Pending p : rows) {
                ps.setString(1, p.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Adds {@code cell} to the stored row of {@code key}, creating it if needed (the caller holds {@link #lock}). */
    static void mergeInto(Connection conn, RollupKey key, Cell cell) throws SQLException {
        String select = "SELECT " + CELL_COLUMNS + " FROM usage_rollup WHERE usage_day = ? AND model = ? AND provider = ?"
                + " AND arm = ? AND end_reason = ? AND error_code = ? AND key_id = ?";
        Cell merged = new Cell();
        boolean exists;
        try (PreparedStatement ps = conn.prepareStatement(select)) {
            bindKey(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
                if (exists) {
                    readCell(rs, merged);
                }
            }
        }
        merged.merge(cell);
        String sql = exists
                ? "UPDATE usage_rollup SET answers = ?, answers_provider = ?, answers_estimated = ?, answers_unpriced = ?,"
                + " prompt_tokens_provider = ?, completion_tokens_provider = ?, prompt_tokens_estimated = ?,"
                + " completion_tokens_estimated = ?, cost_provider_micros = ?, cost_estimated_micros = ?, ttft_hist = ?,"
                + " total_hist = ?, tps_hist = ?, gap_hist = ?, visitors = ?, conversations = ?, answers_thinking = ?,"
                + " thinking_ms_sum = ?, reasoning_tokens = ?, reasoning_tokens_estimated = ? WHERE usage_day = ?"
                + " AND model = ? AND provider = ? AND arm = ? AND end_reason = ? AND error_code = ? AND key_id = ?"
                : "INSERT INTO usage_rollup (" + CELL_COLUMNS + ", " + KEY_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bindCell(ps, merged);
            bindKey(ps, 21, key);
            ps.executeUpdate();
        }
    }

    /** Streams the rollup rows of a filter to {@code sink}, their distributions left encoded. */
    static void read(Connection conn, ReportFilter filter, Consumer<StoredRow> sink) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + KEY_COLUMNS + ", " + CELL_COLUMNS
                + " FROM usage_rollup WHERE usage_day >= ? AND usage_day <= ?");
        List<String> values = filter.conditions(sql, "model", "provider", "arm", "end_reason", "key_id");
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            ps.setObject(1, filter.from());
            ps.setObject(2, filter.to());
            for (int i = 0; i < values.size(); i++) {
                ps.setString(3 + i, values.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RollupKey key = new RollupKey(rs.getObject("usage_day", java.time.LocalDate.class), rs.getString("model"),
                            rs.getString("provider"), rs.getString("arm"), rs.getString("end_reason"), rs.getString("error_code"),
                            rs.getString("key_id"));
                    Cell sums = new Cell();
                    readSums(rs, sums);
                    sums.errors = EndReason.isError(key.endReason()) ? sums.answers : 0;
                    sink.accept(new StoredRow(key, sums, rs.getBytes("ttft_hist"), rs.getBytes("total_hist"),
                            rs.getBytes("tps_hist"), rs.getBytes("gap_hist"), rs.getBytes("visitors"), rs.getBytes("conversations")));
                }
            }
        }
    }

    /** Finished rows of the filter's range that the roll-up job has not folded in yet. */
    static void tail(Connection conn, ReportFilter filter, BiConsumer<RollupKey, UsageFact> sink) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + FACT_COLUMNS + " FROM answer_usage WHERE rolled_up = FALSE"
                + " AND end_reason IS NOT NULL AND started_at >= ? AND started_at < ?");
        List<String> values = filter.conditions(sql, "model_requested", "provider", "arm", "end_reason", "COALESCE(key_id, '')");
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            filter.bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UsageFact f = fact(rs);
                    sink.accept(RollupKey.of(f), f);
                }
            }
        }
    }

    private static void bindKey(PreparedStatement ps, int first, RollupKey k) throws SQLException {
        ps.setObject(first, k.day());
        ps.setString(first + 1, k.model());
        ps.setString(first + 2, k.provider());
        ps.setString(first + 3, k.arm());
        ps.setString(first + 4, k.endReason());
        ps.setString(first + 5, k.errorCode());
        ps.setString(first + 6, k.keyId());
    }

    private static void bindCell(PreparedStatement ps, Cell c) throws SQLException {
        long[] sums = {c.answers, c.answersProvider, c.answersEstimated, c.answersUnpriced, c.promptProvider,
                c.completionProvider, c.promptEstimated, c.completionEstimated, c.costProviderMicros, c.costEstimatedMicros};
        for (int i = 0; i < sums.length; i++) {
            ps.setLong(i + 1, sums[i]);
        }
        ps.setBytes(11, c.ttft.encode());
        ps.setBytes(12, c.total.encode());
        ps.setBytes(13, c.tpsTenths.encode());
        ps.setBytes(14, c.gap.encode());
        ps.setBytes(15, c.visitors.encode());
        ps.setBytes(16, c.conversations.encode());
        ps.setLong(17, c.answersThinking);
        ps.setLong(18, c.thinkingMsSum);
        ps.setLong(19, c.reasoningTokens);
        ps.setLong(20, c.reasoningEstimated);
    }

    private static void readCell(ResultSet rs, Cell c) throws SQLException {
        readSums(rs, c);
        c.ttft.mergeEncoded(rs.getBytes("ttft_hist"));
        c.total.mergeEncoded(rs.getBytes("total_hist"));
        c.tpsTenths.mergeEncoded(rs.getBytes("tps_hist"));
        c.gap.mergeEncoded(rs.getBytes("gap_hist"));
        c.visitors.mergeEncoded(rs.getBytes("visitors"));
        c.conversations.mergeEncoded(rs.getBytes("conversations"));
    }

    private static void readSums(ResultSet rs, Cell c) throws SQLException {
        c.answers += rs.getLong("answers");
        c.answersProvider += rs.getLong("answers_provider");
        c.answersEstimated += rs.getLong("answers_estimated");
        c.answersUnpriced += rs.getLong("answers_unpriced");
        c.promptProvider += rs.getLong("prompt_tokens_provider");
        c.completionProvider += rs.getLong("completion_tokens_provider");
        c.promptEstimated += rs.getLong("prompt_tokens_estimated");
        c.completionEstimated += rs.getLong("completion_tokens_estimated");
        c.costProviderMicros += rs.getLong("cost_provider_micros");
        c.costEstimatedMicros += rs.getLong("cost_estimated_micros");
        c.answersThinking += rs.getLong("answers_thinking");
        c.thinkingMsSum += rs.getLong("thinking_ms_sum");
        c.reasoningTokens += rs.getLong("reasoning_tokens");
        c.reasoningEstimated += rs.getLong("reasoning_tokens_estimated");
    }

    static UsageFact fact(ResultSet rs) throws SQLException {
        return new UsageFact(rs.getObject("started_at", OffsetDateTime.class).toInstant(), rs.getString("model_requested"),
                rs.getString("provider"), rs.getString("arm"), rs.getString("end_reason"), rs.getString("error_code"),
                rs.getString("usage_source"), rs.getObject("prompt_tokens", Integer.class),
                rs.getObject("completion_tokens", Integer.class), rs.getObject("cost_micros", Long.class),
                rs.getObject("ttft_ms", Integer.class), rs.getObject("total_ms", Integer.class),
                rs.getObject("tokens_per_second", Double.class), rs.getObject("max_gap_ms", Integer.class),
                rs.getString("visitor_id"), rs.getString("conversation_id"), rs.getObject("thinking_ms", Integer.class),
                rs.getObject("reasoning_tokens", Integer.class), rs.getString("reasoning_source"));
    }
}
