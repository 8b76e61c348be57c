package org.chatrelay.web;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * The origins besides our own that may call the API from a browser ({@code CHATRELAY_CORS_ALLOWED_ORIGINS}, comma
 * separated, e.g. {@code https://app.example.com}). Empty by default: no cross-origin access at all. Each listed
 * origin is answered with itself and credentials, never {@code *}, which browsers refuse with credentials anyway and
 * which would hand every site the visitor's conversations.
 */
public final class CorsPolicy {
    public static final String SETTING = "CHATRELAY_CORS_ALLOWED_ORIGINS";
    private final Set<String> origins;

    private CorsPolicy(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    public static CorsPolicy none() {
        return new CorsPolicy(Set.of());
    }

    public static CorsPolicy from(Settings settings) {
        Set<String> origins = new LinkedHashSet<>();
        for (String raw : Arrays.asList(settings.get(SETTING, "").split(","))) {
            if (!raw.isBlank()) {
                origins.add(origin(raw.strip()));
            }
        }
        return new CorsPolicy(origins);
    }

    /** True when {@code origin} (an Origin header) is listed; compared in the canonical form the list was stored in. */
    public boolean allows(String origin) {
        if (origin == null || origins.isEmpty()) {
            return false;
        }
        try {
            return origins.contains(canonical(URI.create(origin)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public Set<String> origins() {
        return origins;
    }

    private static String origin(String raw) {
        if (raw.equals("*") || raw.equalsIgnoreCase("null")) {
            throw new ConfigException(SETTING + " lists '" + raw + "': name each origin, e.g. https://app.example.com;"
                    + " a wildcard or 'null' would let any site read visitors' conversations");
        }
        try {
            URI uri = URI.create(raw);
            boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null && uri.getFragment() == null
                    && uri.getUserInfo() == null;
            if (!bare || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an origin");
            }
            return canonical(uri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SETTING + " must list origins such as https://app.example.com (scheme, host, optional port;"
                    + " no path), got '" + raw + "'");
        }
    }

    /** scheme://host:port in lower case with the default port written out, so equal origins compare equal. */
    private static String canonical(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
