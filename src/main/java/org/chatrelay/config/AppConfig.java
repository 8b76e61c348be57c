package org.chatrelay.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the application reads from its environment, validated once at start-up.
 * {@code upstreamUrl} empty means: use the built-in offline demo upstream.
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
        Duration maxTurn,
        int historyTurns) {

    public static final String DEMO_MODEL = "chatrelay-demo";

    public boolean demo() {
        return upstreamUrl.isEmpty();
    }

    public static AppConfig from(Settings s) {
        Optional<URI> url = s.get("CHATRELAY_UPSTREAM_URL").map(AppConfig::parseUrl);
        ApiKeySource key = s.get("CHATRELAY_UPSTREAM_API_KEY_FILE")
                .map(p -> ApiKeySource.file(Path.of(p)))
                .orElseGet(() -> s.get("CHATRELAY_UPSTREAM_API_KEY").map(ApiKeySource::inline).orElse(ApiKeySource.none()));
        String model = s.get("CHATRELAY_MODEL").orElseGet(() -> {
            if (url.isPresent()) {
                throw new ConfigException("CHATRELAY_MODEL is required when CHATRELAY_UPSTREAM_URL is set");
            }
            return DEMO_MODEL;
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
                positive(s, "CHATRELAY_HISTORY_TURNS", 20));
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

    private static URI parseUrl(String raw) {
        try {
            URI uri = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CHATRELAY_UPSTREAM_URL must be an http(s) base URL such as https://api.example.com/v1, got '"
                    + raw + "'");
        }
    }

    private static int positive(Settings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v <= 0) {
            throw new ConfigException(name + " must be positive, got " + v);
        }
        return v;
    }
}
