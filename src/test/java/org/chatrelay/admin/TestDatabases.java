package org.chatrelay.admin;

import java.util.UUID;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.Postgres;

/** Fresh, migrated databases for the admin tests: an in-memory H2, or a new database on the test JVM's embedded PostgreSQL. */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static Database h2() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    public static Database postgres() {
        return Database.open(postgresUrl(), "postgres", "postgres");
    }

    /** The JDBC URL (naming its user) of a new, empty database. */
    public static String postgresUrl() {
        return Postgres.freshDatabase("admin");
    }
}
