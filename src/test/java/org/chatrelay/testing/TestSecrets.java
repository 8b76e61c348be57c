package org.chatrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every key and password a test hands to an application (system properties, a node's environment), written to
 * {@code target/test-secrets/<pid>.txt}, so SecretsScanIT knows exactly which values must appear nowhere.
 */
public final class TestSecrets {
    public static final Path DIR = Path.of("target", "test-secrets");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(api[._]key|master[._]key|password)$");

    private TestSecrets() {
    }

    /** A secret the application made rather than one a test configured, e.g. a gateway key shown once at creation. */
    public static synchronized void remember(String secret) {
        rememberFrom(java.util.Map.of("created.api.key", secret));
    }

    /**
     * Remembers the values of the settings whose name says they are secret ({@code …api.key}, {@code …master.key},
     * {@code …PASSWORD}).
     */
    public static synchronized void rememberFrom(Map<String, String> settings) {
        StringBuilder b = new StringBuilder();
        settings.forEach((name, value) -> {
            // A bare lower-case word (the embedded PostgreSQL's password is "postgres") is in class names and log lines
            // as a matter of course: only values a test made distinctive are searched for.
            if (SECRET_NAME.matcher(name).matches() && value != null && value.length() >= 6 && !value.matches("[a-z]+")) {
                b.append(value).append('\n');
            }
        });
        if (b.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(ProcessHandle.current().pid() + ".txt"), b, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
