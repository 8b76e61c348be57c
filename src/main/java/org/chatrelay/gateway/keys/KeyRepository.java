package org.chatrelay.gateway.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;

/** The gateway_key table: keys by id or by the hash of their secret; the secret itself is never stored. */
public final class KeyRepository {
    private static final String COLUMNS = "id, name, owner, prefix, models, rpm, max_streams, daily_budget_micros,"
            + " monthly_budget_micros, expires_at, store_content, created_at, revoked_at";

    private final DataSource ds;

    public KeyRepository(DataSource ds) {
        this.ds = ds;
    }

    void insert(VirtualKey k, String keyHash) {
        String sql = "INSERT INTO gateway_key (" + COLUMNS + ", key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, k.id());
            ps.setString(2, k.name());
            ps.setString(3, k.owner());
            ps.setString(4, k.prefix());
            ps.setString(5, k.models().isEmpty() ? null : String.join("\n", k.models()));
            ps.setObject(6, k.rpm(), Types.INTEGER);
            ps.setObject(7, k.maxStreams(), Types.INTEGER);
            ps.setObject(8, k.dailyBudgetMicros(), Types.BIGINT);
            ps.setObject(9, k.monthlyBudgetMicros(), Types.BIGINT);
            ps.setObject(10, utc(k.expiresAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setBoolean(11, k.storeContent());
            ps.setObject(12, utc(k.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(13, utc(k.revokedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(14, keyHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new PersistenceException("cannot store gateway key " + k.id(), e);
        }
    }

    Optional<VirtualKey> byHash(String keyHash) {
        return one("SELECT " + COLUMNS + " FROM gateway_key WHERE key_hash = ?", keyHash);
    }

    public Optional<VirtualKey> byId(String id) {
        return one("SELECT " + COLUMNS + " FROM gateway_key WHERE id = ?", id);
    }

    /** Newest first, revoked keys included (their history stays readable). */
    public List<VirtualKey> list() {
        String sql = "SELECT " + COLUMNS + " FROM gateway_key ORDER BY created_at DESC, id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<VirtualKey> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new PersistenceException("cannot list gateway keys", e);
        }
    }

    /** Marks the key revoked (once: a second revoke keeps the first time); false when there is no such key. */
    boolean revoke(String id, Instant at) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE gateway_key SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
            ps.setObject(1, utc(at), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new PersistenceException("cannot revoke gateway key " + id, e);
        }
    }

    private Optional<VirtualKey> one(String sql, String value) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read gateway key", e);
        }
    }

    private static VirtualKey read(ResultSet rs) throws SQLException {
        String models = rs.getString("models");
        return new VirtualKey(rs.getString("id"), rs.getString("name"), rs.getString("owner"), rs.getString("prefix"),
                models == null ? List.of() : List.of(models.split("\n")),
                rs.getObject("rpm", Integer.class), rs.getObject("max_streams", Integer.class),
                rs.getObject("daily_budget_micros", Long.class), rs.getObject("monthly_budget_micros", Long.class),
                instant(rs, "expires_at"), rs.getBoolean("store_content"), instant(rs, "created_at"), instant(rs, "revoked_at"));
    }

    /** Timestamps travel as UTC OffsetDateTime (TIMESTAMP WITH TIME ZONE on H2 and PostgreSQL alike); null stays null. */
    static OffsetDateTime utc(Instant value) {
        return value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }
}
