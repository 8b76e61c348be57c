package org.chatrelay.admin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.chatrelay.persistence.Database;

/**
 * Fresh, migrated databases for the admin tests: an in-memory H2, or a new database on one embedded PostgreSQL
 * (io.zonky, started once per test JVM, stopped at exit).
 */
public final class TestDatabases {
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public static Database h2() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    public static Database postgres() {
        return Database.open(postgresUrl(), "postgres", "postgres");
    }

    /** The JDBC URL of a new, empty database on the shared embedded PostgreSQL. */
    public static synchronized String postgresUrl() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // The JVM is exiting.
                    }
                }));
            }
            String name = "t" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            return postgres.getJdbcUrl("postgres", name);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
        }
    }
}
