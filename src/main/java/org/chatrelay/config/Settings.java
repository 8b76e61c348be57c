package org.chatrelay.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where configuration values come from: an environment variable {@code CHATRELAY_FOO_BAR}, or the system
 * property of the same meaning {@code chatrelay.foo.bar} (handy for {@code mvn jetty:run -D…} and tests).
 * The system property wins, so a test can override a developer's environment.
 */
public final class Settings {
    private final Function<String, String> env;
    private final Function<String, String> props;

    public Settings(Function<String, String> env, Function<String, String> props) {
        this.env = env;
        this.props = props;
    }

    public static Settings fromSystem() {
        return new Settings(System::getenv, System::getProperty);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values::get, k -> null);
    }

    /** @param envName e.g. {@code CHATRELAY_UPSTREAM_URL} */
    public Optional<String> get(String envName) {
        String prop = props.apply(propertyName(envName));
        if (prop != null && !prop.isBlank()) {
            return Optional.of(prop.trim());
        }
        String value = env.apply(envName);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String get(String envName, String fallback) {
        return get(envName).orElse(fallback);
    }

    public int getInt(String envName, int fallback) {
        Optional<String> v = get(envName);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(envName + " must be a whole number, got '" + v.get() + "'");
        }
    }

    static String propertyName(String envName) {
        return envName.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }
}
