package org.chatrelay.admin.conversations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.PersistenceException;

/** Every visitor's conversations, for admins: search, filters, and each one's answer count and cost. */
public final class AdminConversations {
    private final DataSource ds;

    public AdminConversations(DataSource ds) {
        this.ds = ds;
    }

    /** One page of matches plus one more row, so the caller knows whether a next page exists. */
    public List<ConversationSummary> list(ConversationQuery q) {
        StringBuilder sql = new StringBuilder("SELECT c.id, c.visitor_id, c.title, c.model, c.created_at, c.updated_at"
                + " FROM conversation c WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        q.visitor().ifPresent(v -> {
            sql.append(" AND c.visitor_id = ?");
            values.add(v);
        });
        q.from().ifPresent(d -> {
            sql.append(" AND c.updated_at >= ?");
            values.add(startOf(d));
        });
        q.to().ifPresent(d -> {
            sql.append(" AND c.updated_at < ?");
            values.add(startOf(d.plusDays(1)));
        });
        q.text().ifPresent(t -> {
            String like = "%" + t.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
            sql.append(" AND (LOWER(c.title) LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM message m"
                    + " WHERE m.conversation_id = c.id AND LOWER(m.content) LIKE ? ESCAPE '!'))");
            values.add(like);
            values.add(like);
        });
        sql.append(q.orderBy()).append(" LIMIT ? OFFSET ?");
        values.add(ConversationQuery.PAGE_SIZE + 1);
        values.add((q.page() - 1) * ConversationQuery.PAGE_SIZE);
        Map<String, ConversationSummary> found = new LinkedHashMap<>();
        try (Connection conn = ds.getConnection()) {
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString("id"), new ConversationSummary(rs.getString("id"), rs.getString("visitor_id"),
                                rs.getString("title"), rs.getString("model"), instant(rs, "created_at"), instant(rs, "updated_at"), 0, 0));
                    }
                }
            }
            return withUsage(conn, found);
        } catch (SQLException e) {
            throw new PersistenceException("cannot list conversations for the admin", e);
        }
    }

    private static List<ConversationSummary> withUsage(Connection conn, Map<String, ConversationSummary> found) throws SQLException {
        if (found.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(found.size(), "?"));
        String sql = "SELECT conversation_id, COUNT(*) AS answers, COALESCE(SUM(cost_micros), 0) AS cost"
                + " FROM answer_usage WHERE conversation_id IN (" + marks + ") GROUP BY conversation_id";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            for (String id : found.keySet()) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long answers = rs.getLong("answers");
                    long cost = rs.getLong("cost");
                    found.computeIfPresent(rs.getString("conversation_id"), (id, c) -> new ConversationSummary(c.id(), c.visitorId(),
                            c.title(), c.model(), c.createdAt(), c.updatedAt(), answers, cost));
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** Any visitor's conversation: admins see them all. */
    public Optional<Conversation> find(String id) {
        String sql = "SELECT id, visitor_id, title, model, created_at, updated_at FROM conversation WHERE id = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Conversation(rs.getString("id"), rs.getString("visitor_id"), rs.getString("title"),
                        rs.getString("model"), instant(rs, "created_at"), instant(rs, "updated_at"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read conversation " + id, e);
        }
    }

    private static OffsetDateTime startOf(LocalDate d) {
        return OffsetDateTime.of(d.atStartOfDay(), ZoneOffset.UTC);
    }

    private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
