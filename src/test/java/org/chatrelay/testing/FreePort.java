package org.chatrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on right now. Child processes (Jetty, nginx) need their port before they start,
 * and a node restarted after kill -9 must come back on the same one, so port 0 is not an option there.
 */
public final class FreePort {
    private FreePort() {
    }

    public static int next() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
