package org.chatrelay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that passes bytes straight through both ways until {@link #cut}: then it resets every live
 * connection and resets every new one for a while, as a train entering a tunnel does to a phone. Between a browser
 * and the app it breaks an answer's stream mid-answer, and the page's reconnects fail until the network is back.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    /** Until when (System.nanoTime) a new connection is reset; 0: the network is up. */
    private volatile long downUntil;
    /** Connections reset on arrival while the network was down: the page's reconnects that failed. */
    public final AtomicInteger refused = new AtomicInteger();

    public CuttingProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        BufferingProxy.daemon("cutting-proxy-accept").newThread(this::acceptLoop).start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** Resets every live connection now and every new one for {@code down}. */
    public void cut(Duration down) {
        downUntil = System.nanoTime() + down.toNanos();
        for (Socket s : live) {
            reset(s);
        }
    }

    private boolean down() {
        long until = downUntil;
        return until != 0 && System.nanoTime() - until < 0;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (down()) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket app = new Socket(target.getHost(), target.getPort());
                live.add(client);
                live.add(app);
                BufferingProxy.daemon("cutting-proxy-up").newThread(() -> pump(client, app)).start();
                BufferingProxy.daemon("cutting-proxy-down").newThread(() -> pump(app, client)).start();
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    /** Copies one direction; when either side ends, both connections close (HTTP has no use for a half). */
    private void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // Either side went away, or cut() reset them.
        } finally {
            closeQuietly(from, to);
        }
    }

    /** An RST rather than a FIN: the reader sees a network error, not a cleanly ended body. */
    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Already closed.
        }
        closeQuietly(s);
    }

    private void closeQuietly(Socket... sockets) {
        for (Socket s : sockets) {
            live.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : live) {
            closeQuietly(s);
        }
    }
}
