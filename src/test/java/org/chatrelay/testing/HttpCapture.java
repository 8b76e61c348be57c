package org.chatrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Every response a {@link ChatClient} read (pages, JSON, error bodies, SSE frames), appended to
 * {@code target/http-capture/<pid>.txt}, so SecretsScanIT can search what the whole test run was served.
 */
public final class HttpCapture {
    public static final Path DIR = Path.of("target", "http-capture");
    private static final Path FILE = DIR.resolve(ProcessHandle.current().pid() + ".txt");

    private HttpCapture() {
    }

    static synchronized void record(String request, int status, HttpHeaders headers, CharSequence body) {
        StringBuilder b = new StringBuilder(body.length() + 256).append("=== ").append(request).append(" -> ").append(status).append('\n');
        if (headers != null) {
            headers.map().forEach((name, values) -> b.append(name).append(": ").append(String.join(", ", values)).append('\n'));
        }
        b.append('\n').append(body).append('\n');
        try {
            Files.createDirectories(DIR);
            Files.writeString(FILE, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
