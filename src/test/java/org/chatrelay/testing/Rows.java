package org.chatrelay.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the application's tables directly, to check what was stored. */
public final class Rows {
    private final String url;
    private final String password;

    /** @param url an H2 URL from {@link TestApp#freshH2} or a PostgreSQL URL that names its user */
    public Rows(String url) {
        this(url, "");
    }

    /** @param password the database password the app was configured with (an H2 database takes it at creation) */
    public Rows(String url, String password) {
        this.url = url;
        this.password = password;
        try {
            // The webapp registers only its own copy of the driver; the test's copy must be loaded here.
            Class.forName("org.h2.Driver");
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url, "sa", password); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    /** Runs a statement that returns no rows (tests that break the schema on purpose, then mend it). */
    public int execute(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url, "sa", password); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("statement failed: " + sql, e);
        }
    }

    public Map<String, Object> one(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    /** The usage row of an answer once it has ended (end_reason set), waiting up to {@code millis} for it. */
    public Map<String, Object> endedUsage(String messageId, long millis) throws InterruptedException {
        return await(() -> query("SELECT u.*, m.status AS message_status, m.content AS message_content FROM answer_usage u "
                + "JOIN message m ON m.id = u.message_id WHERE u.message_id = ?", messageId), r -> !r.isEmpty() && r.get(0).get("end_reason") != null, millis).get(0);
    }

    /**
     * The upstream attempts of the answer in {@code conversationId} (its latest answer), one line each:
     * {@code "1 primary failed 429 http_429"} (number, provider, outcome, HTTP status or "-", error code or "-").
     */
    public List<String> attempts(String conversationId) {
        return query("SELECT a.attempt_no, a.provider, a.outcome, a.http_status, a.error_code FROM answer_attempt a"
                + " JOIN answer_usage u ON u.id = a.usage_id WHERE u.conversation_id = ?"
                + " AND u.started_at = (SELECT MAX(started_at) FROM answer_usage WHERE conversation_id = ?) ORDER BY a.attempt_no",
                conversationId, conversationId).stream()
                .map(r -> r.get("attempt_no") + " " + r.get("provider") + " " + r.get("outcome") + " "
                        + (r.get("http_status") == null ? "-" : r.get("http_status")) + " " + (r.get("error_code") == null ? "-" : r.get("error_code")))
                .toList();
    }

    /** The usage row of the latest answer in {@code conversationId} once it has ended. */
    public Map<String, Object> endedUsageOfConversation(String conversationId, long millis) throws InterruptedException {
        return await(() -> query("SELECT u.*, m.status AS message_status, m.content AS message_content FROM answer_usage u "
                + "JOIN message m ON m.id = u.message_id WHERE u.conversation_id = ? ORDER BY u.started_at DESC", conversationId),
                r -> !r.isEmpty() && r.get(0).get("end_reason") != null, millis).get(0);
    }

    static <T> T await(java.util.function.Supplier<T> read, Predicate<T> ok, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        T value = read.get();
        while (!ok.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms; last value: " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }
}
