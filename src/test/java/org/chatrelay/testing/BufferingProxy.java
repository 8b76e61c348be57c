package org.chatrelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that behaves like a buffering reverse proxy: requests pass straight through, responses are
 * held and released in bursts every {@code flushMillis}. Between a browser and the app it turns a smooth event
 * stream into late bursts — what the page's buffering self-check must notice.
 */
public final class BufferingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final long flushMillis;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(daemon("proxy-flush"));
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public BufferingProxy(URI target, long flushMillis) throws IOException {
        this.target = target;
        this.flushMillis = flushMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept").newThread(this::acceptLoop).start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket app = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(app);
                daemon("proxy-up").newThread(() -> pump(client, app)).start();
                daemon("proxy-down").newThread(() -> hold(app, client)).start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // Either side went away.
        }
    }

    /** Collects the app's bytes and lets them out only on the flush timer. */
    private void hold(Socket app, Socket client) {
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        Runnable release = () -> {
            synchronized (held) {
                try {
                    if (held.size() > 0) {
                        client.getOutputStream().write(held.toByteArray());
                        client.getOutputStream().flush();
                        held.reset();
                    }
                } catch (IOException ignored) {
                    // The browser went away.
                }
            }
        };
        java.util.concurrent.ScheduledFuture<?> timer;
        try {
            timer = flusher.scheduleAtFixedRate(release, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return;
        }
        byte[] buf = new byte[8192];
        try (InputStream in = app.getInputStream()) {
            for (int n; (n = in.read(buf)) != -1; ) {
                synchronized (held) {
                    held.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // The app closed the connection.
        } finally {
            timer.cancel(false);
            release.run();
            try {
                client.shutdownOutput();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    /** Threads that never keep a test JVM alive (CuttingProxy's too). */
    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() throws IOException {
        server.close();
        flusher.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
