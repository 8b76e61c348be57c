package org.chatrelay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Providers files and key files for integration tests, under target/it-providers. */
public final class ProvidersFiles {
    private ProvidersFiles() {
    }

    public static Path dir(String name) throws IOException {
        Path dir = Path.of("target", "it-providers", name + "-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    /** Writes {@code json} with every {@code 'quote'} turned into a double quote, so tests can write JSON inline. */
    public static Path write(Path dir, String fileName, String json) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    /** A base URL where nothing listens: connecting is refused. */
    public static String refusingBaseUrl() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/v1";
        }
    }
}
