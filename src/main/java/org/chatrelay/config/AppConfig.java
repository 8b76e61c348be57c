package org.chatrelay.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the application reads from its environment, validated once at start-up.
 * No {@code upstreamUrl} and no {@code providersFile} means: use the built-in offline demo upstream.
 * The upstream URL, key, model, dialect, timeouts and retry settings are the single-upstream shorthand; with a
 * providers file the timeouts and retry settings are the defaults of every provider, and {@code model}, when not
 * empty, picks the default model. {@code detachedGrace} is how long a chat answer whose browser went away keeps
 * generating for a viewer to resume it (zero: it ends at once); {@code checkpointEvery}, how often the partial text of
 * streaming answers is written to the database.
 */
public record AppConfig(
        Optional<URI> upstreamUrl,
        ApiKeySource apiKey,
        String model,
        Optional<String> systemPrompt,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String nodeId,
        Optional<Path> pricesFile,
        int maxMessageChars,
        int maxBodyBytes,
        Duration heartbeat,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration idleTimeout,
        Duration maxAnswer,
        int historyTurns,
        Optional<Path> providersFile,
        Dialect dialect,
        RetryPolicy retry,
        Duration detachedGrace,
        Duration checkpointEvery) {

    public static final String DEMO_MODEL = "chatrelay-demo";

    public boolean demo() {
        return upstreamUrl.isEmpty() && providersFile.isEmpty();
    }

    public Timeouts timeouts() {
        return new Timeouts(connectTimeout, firstTokenTimeout, idleTimeout, maxAnswer);
    }

    public static AppConfig from(Settings s) {
        Optional<URI> url = s.get("CHATRELAY_UPSTREAM_URL").map(raw -> parseUrl(raw, "CHATRELAY_UPSTREAM_URL"));
        Optional<Path> providersFile = s.get("CHATRELAY_PROVIDERS_FILE").map(Path::of);
        if (url.isPresent() && providersFile.isPresent()) {
            throw new ConfigException("set either CHATRELAY_PROVIDERS_FILE or CHATRELAY_UPSTREAM_URL (a one-provider shorthand), not both");
        }
        ApiKeySource key = s.get("CHATRELAY_UPSTREAM_API_KEY_FILE")
                .map(p -> ApiKeySource.file(Path.of(p)))
                .orElseGet(() -> s.get("CHATRELAY_UPSTREAM_API_KEY").map(ApiKeySource::inline).orElse(ApiKeySource.none()));
        String model = s.get("CHATRELAY_MODEL").orElseGet(() -> {
            if (url.isPresent()) {
                throw new ConfigException("CHATRELAY_MODEL is required when CHATRELAY_UPSTREAM_URL is set");
            }
            return providersFile.isPresent() ? "" : DEMO_MODEL;
        });
        String host = s.get("HOSTNAME").orElseGet(AppConfig::hostName);
        return new AppConfig(
                url,
                key,
                model,
                s.get("CHATRELAY_SYSTEM_PROMPT"),
                s.get("CHATRELAY_DB_URL", "jdbc:h2:file:./data/chatrelay"),
                s.get("CHATRELAY_DB_USER", "sa"),
                s.get("CHATRELAY_DB_PASSWORD", ""),
                s.get("CHATRELAY_NODE_ID", host),
                s.get("CHATRELAY_PRICES_FILE").map(Path::of),
                positive(s, "CHATRELAY_MAX_MESSAGE_CHARS", 32_768),
                positive(s, "CHATRELAY_MAX_BODY_BYTES", 256 * 1024),
                Duration.ofMillis(positive(s, "CHATRELAY_HEARTBEAT_MS", 15_000)),
                Duration.ofMillis(positive(s, "CHATRELAY_CONNECT_TIMEOUT_MS", 10_000)),
                Duration.ofMillis(positive(s, "CHATRELAY_FIRST_TOKEN_TIMEOUT_MS", 60_000)),
                Duration.ofMillis(positive(s, "CHATRELAY_IDLE_TIMEOUT_MS", 60_000)),
                Duration.ofMillis(positive(s, "CHATRELAY_MAX_TURN_MS", 600_000)),
                positive(s, "CHATRELAY_HISTORY_TURNS", 20),
                providersFile,
                s.get("CHATRELAY_UPSTREAM_DIALECT").map(d -> Dialect.parse(d, "CHATRELAY_UPSTREAM_DIALECT")).orElse(Dialect.OPENAI),
                retry(s),
                Duration.ofMillis(nonNegative(s, "CHATRELAY_DETACHED_GRACE_MS", 30_000)),
                Duration.ofMillis(positive(s, "CHATRELAY_CHECKPOINT_MS", 1_000)));
    }

    private static RetryPolicy retry(Settings s) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        RetryPolicy p = new RetryPolicy(positive(s, "CHATRELAY_RETRY_MAX_ATTEMPTS", d.maxAttempts()),
                Duration.ofMillis(nonNegative(s, "CHATRELAY_RETRY_BASE_DELAY_MS", (int) d.baseDelay().toMillis())),
                Duration.ofMillis(nonNegative(s, "CHATRELAY_RETRY_MAX_DELAY_MS", (int) d.maxDelay().toMillis())),
                Duration.ofMillis(nonNegative(s, "CHATRELAY_RETRY_AFTER_CAP_MS", (int) d.retryAfterCap().toMillis())));
        if (p.maxDelay().compareTo(p.baseDelay()) < 0) {
            throw new ConfigException("CHATRELAY_RETRY_MAX_DELAY_MS must not be below CHATRELAY_RETRY_BASE_DELAY_MS");
        }
        return p;
    }

    /**
     * The default node id. HOSTNAME is a shell variable that systemd and most service managers do not export;
     * without this, every node would be "local" and a restarting node would mark its peers' answers interrupted.
     */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "local";
        }
    }

    /** @param setting names the setting for the error message */
    static URI parseUrl(String raw, String setting) {
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting + " must be an http(s) base URL such as https://api.example.com/v1, got '" + raw + "'");
        }
    }

    private static int nonNegative(Settings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v < 0) {
            throw new ConfigException(name + " must not be negative, got " + v);
        }
        return v;
    }

    private static int positive(Settings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v <= 0) {
            throw new ConfigException(name + " must be positive, got " + v);
        }
        return v;
    }
}
