package org.chatrelay.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool plus the schema it was migrated to. Built once at start-up, closed at shutdown. */
public final class Database implements AutoCloseable {
    /** Connections per node; the relay sizes its opener threads by it. */
    public static final int POOL_SIZE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int VALID_TIMEOUT_SECONDS = 2;
    // A password may also hide inside the URL: ?password=… / ;PASSWORD=… or //user:secret@host.
    private static final Pattern URL_PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("//([^/@:\\s]*):[^/@\\s]*@");

    private final HikariDataSource pool;
    private final Flyway flyway;

    private Database(HikariDataSource pool, Flyway flyway) {
        this.pool = pool;
        this.flyway = flyway;
    }

    public static Database open(String jdbcUrl, String user, String password) {
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(poolConfig(durable(jdbcUrl), user, password));
            Flyway flyway = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .cleanDisabled(true)
                    .load();
            flyway.migrate();
            LOG.info("database ready at {}", redact(jdbcUrl));
            return new Database(pool, flyway);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            // Drivers and Hikari sometimes echo the URL in their messages: scrub those too.
            String reason = scrub(redact(String.valueOf(e.getMessage())), password);
            throw new PersistenceException("cannot open database " + redact(jdbcUrl) + ": " + reason, e);
        }
    }

    private static HikariConfig poolConfig(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("chatrelay");
        config.setJdbcUrl(jdbcUrl);
        driverFor(jdbcUrl).ifPresent(config::setDriverClassName);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        // A request should fail fast rather than queue behind a dead database.
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setIdleTimeout(300_000);
        config.setMaxLifetime(1_800_000);
        return config;
    }

    /**
     * An embedded H2 file database keeps commits in memory for up to 500 ms (its WRITE_DELAY) before writing them,
     * so a node killed with -9 would lose the user's last message: write every commit at once instead, unless the
     * URL says otherwise. (PostgreSQL runs in its own process; a node's crash cannot lose its commits.)
     */
    static String durable(String jdbcUrl) {
        String upper = jdbcUrl.toUpperCase(Locale.ROOT);
        boolean embeddedFile = upper.startsWith("JDBC:H2:") && !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:")
                && !upper.startsWith("JDBC:H2:SSL:");
        return embeddedFile && !upper.contains(";WRITE_DELAY=") ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
    }

    /** The URL as it may appear in logs and messages: any password it carries is masked. */
    static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        String masked = URL_PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
        return URL_USER_INFO.matcher(masked).replaceAll("//$1:***@");
    }

    private static String scrub(String text, String password) {
        return password == null || password.isEmpty() ? text : text.replace(password, "***");
    }

    public DataSource dataSource() {
        return pool;
    }

    /** For /readyz: a pooled connection answers and no migration is pending. Never throws. */
    public boolean isReady() {
        if (pool.isClosed()) {
            return false;
        }
        try (Connection conn = pool.getConnection()) {
            if (!conn.isValid(VALID_TIMEOUT_SECONDS)) {
                return false;
            }
        } catch (Exception e) {
            LOG.debug("database not ready", e);
            return false;
        }
        try {
            synchronized (flyway) {
                return flyway.info().pending().length == 0;
            }
        } catch (RuntimeException e) {
            LOG.debug("database not ready", e);
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Name the driver for the databases we ship. Inside a servlet container DriverManager only hands out drivers
     * loaded by the caller's class loader, and the webapp's own copy may never have been loaded: "No suitable driver".
     */
    static java.util.Optional<String> driverFor(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return java.util.Optional.of("org.h2.Driver");
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return java.util.Optional.of("org.postgresql.Driver");
        }
        return java.util.Optional.empty();
    }
}
