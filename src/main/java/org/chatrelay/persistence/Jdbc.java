package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Binding helpers shared by the repositories: timestamps travel as UTC {@link OffsetDateTime}, nullables as typed NULLs. */
final class Jdbc {

    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';

    private Jdbc() {
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        ps.setObject(index, value, Types.INTEGER);
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        ps.setObject(index, value, Types.BIGINT);
    }

    static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        ps.setObject(index, value, Types.DOUBLE);
    }

    /** PostgreSQL text cannot hold U+0000; callers record that a replacement happened when it matters. */
    static String withoutNul(String text) {
        return text == null ? null : text.replace(NUL, REPLACEMENT);
    }

    static boolean hasNul(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }

    static void rollbackQuietly(Connection conn, Throwable failure) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A RuntimeException
     * (NotFoundException, say) passes through as it is; an SQLException becomes a PersistenceException saying what failed.
     */
    static <T> T inTransaction(DataSource ds, Work<T> work, Supplier<String> what) {
        try (Connection conn = ds.getConnection()) {
            return inTransaction(conn, work);
        } catch (SQLException e) {
            throw new PersistenceException(what.get(), e);
        }
    }

    /**
     * Like {@link #inTransaction} for {@code work} that, on PostgreSQL, sends exactly one statement (which may hold
     * several SQL statements, as {@code AnswerSql.insertOpening}'s): all of it is stored or none, in one round trip.
     * There the connection stays in autocommit: the server runs everything up to the protocol's Sync as one implicit
     * transaction, and pgjdbc sends a multi-statement string with one Sync, so the statement is its own commit instead
     * of being followed by a COMMIT. Elsewhere (H2, which commits each part of such a string on its own in
     * autocommit) it runs in a transaction.
     */
    static <T> T atomically(DataSource ds, Work<T> work, Supplier<String> what) {
        try (Connection conn = ds.getConnection()) {
            if (conn.getAutoCommit() && isPostgres(conn)) {
                return work.run(conn);
            }
            return inTransaction(conn, work);
        } catch (SQLException e) {
            throw new PersistenceException(what.get(), e);
        }
    }

    private static <T> T inTransaction(Connection conn, Work<T> work) throws SQLException {
        conn.setAutoCommit(false);
        try {
            T result = work.run(conn);
            conn.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(conn, e);
            throw e;
        }
    }

    static boolean isPostgres(Connection conn) throws SQLException {
        return conn.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    }
}
