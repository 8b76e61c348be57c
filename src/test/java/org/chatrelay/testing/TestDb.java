package org.chatrelay.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.chatrelay.persistence.Database;

/**
 * The tests' one database fixture. {@link #open()} is where the repository tests run: by default a fresh in-memory
 * H2 per test; with
 * {@code -Dchatrelay.test.db.url=jdbc:postgresql://…} (plus {@code chatrelay.test.db.user} / {@code .password})
 * the same tests run against that database, whose tables are emptied before each test. With
 * {@code -Dchatrelay.test.db=postgres} (the PostgreSQL pass of {@code mvn verify}) that database is one in the
 * embedded PostgreSQL. {@link #h2()} and {@link #postgres()} are fresh databases of one kind (for tests that run on
 * both); {@link #h2File}, {@link #postgresUrl} and {@link #selectedUrl} are URLs for an app under test to create and
 * migrate, which the test can open too. The statements below write and read a database directly.
 */
public final class TestDb {

    public static final String URL_PROPERTY = "chatrelay.test.db.url";

    private TestDb() {
    }

    public static Database open() {
        String url = System.getProperty(URL_PROPERTY, "").trim();
        if (url.isEmpty() && Postgres.selected()) {
            url = embeddedPostgres();
        }
        if (url.isEmpty()) {
            return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }
        Database db = Database.open(url, System.getProperty("chatrelay.test.db.user"),
                System.getProperty("chatrelay.test.db.password"));
        update(db, "DELETE FROM stop_request");
        update(db, "DELETE FROM answer_usage");
        update(db, "DELETE FROM message");
        update(db, "DELETE FROM conversation");
        return db;
    }

    /** A fresh, migrated in-memory H2. */
    public static Database h2() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** A fresh, migrated database of its own in the embedded PostgreSQL. */
    public static Database postgres() {
        return Database.open(postgresUrl("admin"), "postgres", "postgres");
    }

    /** A fresh H2 file database the test can also open: AUTO_SERVER lets the test's JDBC reach the webapp's engine. */
    public static String h2File(String name) {
        Path dir = Path.of("target", "it-db", name + "-" + System.nanoTime()).toAbsolutePath();
        return "jdbc:h2:file:" + dir + "/db;AUTO_SERVER=TRUE";
    }

    /** The JDBC URL (naming its user) of a new, empty database in the embedded PostgreSQL. */
    public static String postgresUrl(String name) {
        return Postgres.freshDatabase(name);
    }

    /** The run says {@code -Dchatrelay.test.db=postgres}: tests that can run on either database use PostgreSQL. */
    public static boolean postgresSelected() {
        return Postgres.selected();
    }

    /** {@link #postgresUrl} when the run says {@code -Dchatrelay.test.db=postgres}, {@link #h2File} otherwise. */
    public static String selectedUrl(String name) {
        return Postgres.selected() ? postgresUrl(name) : h2File(name);
    }

    /** Writes straight to a database by URL (an app's, which {@link Rows} only reads). */
    public static int update(String url, String user, String password, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url, user, password); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("update failed: " + sql, e);
        }
    }

    private static String embeddedUrl;

    /** One database in the embedded PostgreSQL for the whole run; each test empties its tables. */
    private static synchronized String embeddedPostgres() {
        if (embeddedUrl == null) {
            embeddedUrl = Postgres.freshDatabase("persistence");
        }
        return embeddedUrl;
    }

    /** Closes the pool; an in-memory H2 is shut down too, since DB_CLOSE_DELAY=-1 would keep it for the JVM's life. */
    public static void close(Database db) {
        if (db == null) {
            return;
        }
        String url = ((com.zaxxer.hikari.HikariDataSource) db.dataSource()).getJdbcUrl();
        db.close();
        if (url.startsWith("jdbc:h2:mem:")) {
            try (Connection conn = java.sql.DriverManager.getConnection(url, "sa", "");
                 Statement st = conn.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot shut down " + url, e);
            }
        }
    }

    public static int update(Database db, String sql, Object... params) {
        try (Connection conn = db.dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(Database db, String sql, Object... params) {
        try (Connection conn = db.dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static String string(Database db, String sql, Object... params) {
        try (Connection conn = db.dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static java.time.Instant instant(Database db, String sql, Object... params) {
        try (Connection conn = db.dataSource().getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, java.time.OffsetDateTime.class).toInstant() : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static boolean tableExists(Database db, String table) {
        try (Connection conn = db.dataSource().getConnection(); Statement st = conn.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
