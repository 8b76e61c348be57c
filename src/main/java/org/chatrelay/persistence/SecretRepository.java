package org.chatrelay.persistence;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.sql.DataSource;

/** Deployment-wide secrets: created once by whichever node asks first, then read by all. */
public final class SecretRepository {
    private final DataSource ds;

    public SecretRepository(DataSource ds) {
        this.ds = ds;
    }

    public byte[] getOrCreate(String name) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = ds.getConnection()) {
            String existing = read(c, name);
            if (existing != null) {
                return Base64.getDecoder().decode(existing);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_secret (name, secret, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, Base64.getEncoder().encodeToString(fresh));
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
                return fresh;
            } catch (SQLException raceLost) {
                // Another node inserted it first: use theirs.
                String theirs = read(c, name);
                if (theirs == null) {
                    throw raceLost;
                }
                return Base64.getDecoder().decode(theirs);
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read or create the secret '" + name + "'", e);
        }
    }

    private static String read(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM app_secret WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
