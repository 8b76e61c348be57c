package org.chatrelay.admin.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.chatrelay.persistence.PersistenceException;

/** The admin_account table. */
public final class AccountRepository {
    private final DataSource ds;

    public AccountRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /**
     * A row whose stored hash is not a valid slow hash reads as absent: such a row can never log in.
     */
    public Optional<Account> find(String username) {
        String sql = "SELECT username, password_hash, roles FROM admin_account WHERE username = ?";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                PasswordHash hash;
                try {
                    hash = PasswordHash.parse(rs.getString("password_hash"));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
                return Optional.of(new Account(rs.getString("username"), hash, roles(rs.getString("roles"))));
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read admin account", e);
        }
    }

    /** Creates the account or replaces its hash and roles: the configured first admin wins at every start. */
    public void save(Account account, Instant now) {
        String roles = String.join(",", account.roles());
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = conn.prepareStatement(
                        "UPDATE admin_account SET password_hash = ?, roles = ?, updated_at = ? WHERE username = ?")) {
                    ps.setString(1, account.passwordHash().encoded());
                    ps.setString(2, roles);
                    ps.setObject(3, at);
                    ps.setString(4, account.username());
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO admin_account"
                            + " (username, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                        ps.setString(1, account.username());
                        ps.setString(2, account.passwordHash().encoded());
                        ps.setString(3, roles);
                        ps.setObject(4, at);
                        ps.setObject(5, at);
                        ps.executeUpdate();
                    }
                }
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot save admin account", e);
        }
    }

    static Set<String> roles(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(r -> !r.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
