package org.chatrelay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves the upstream API key per request, so replacing a key file takes effect on the next request
 * without a restart. {@link #toString()} never shows the key: it is safe in logs.
 */
public final class ApiKeySource {
    private final String inlineKey;
    private final Path file;
    private final String envName;
    private final Function<String, Optional<String>> env;

    private ApiKeySource(String inlineKey, Path file, String envName, Function<String, Optional<String>> env) {
        this.inlineKey = inlineKey;
        this.file = file;
        this.envName = envName;
        this.env = env;
    }

    public static ApiKeySource none() {
        return new ApiKeySource(null, null, null, null);
    }

    public static ApiKeySource inline(String key) {
        return new ApiKeySource(key, null, null, null);
    }

    public static ApiKeySource file(Path file) {
        return new ApiKeySource(null, file, null, null);
    }

    /** A key in the environment variable {@code name}, looked up through {@code env} on every request. */
    public static ApiKeySource env(String name, Function<String, Optional<String>> env) {
        return new ApiKeySource(null, null, name, env);
    }

    /** The key now, or empty when none is configured. */
    public Optional<String> current() {
        if (envName != null) {
            return env.apply(envName);
        }
        if (file == null) {
            return Optional.ofNullable(inlineKey);
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (IOException e) {
            throw new ConfigException("cannot read the API key file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        if (envName != null) {
            return "key from environment variable " + envName;
        }
        return file != null ? "key file " + file : inlineKey != null ? "key from environment" : "no key";
    }
}
