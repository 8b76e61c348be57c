package org.chatrelay.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's upstream: an OpenAI-compatible {@code POST /v1/chat/completions} that streams the {@link Shape}
 * named in the request. Built for load rather than for faults (that is testing/FakeUpstream): a non-blocking Jetty
 * core handler, frames assembled from constant bytes, and one timer thread that sends every frame at its due time,
 * {@code start + first + (i - 1) × pace}, so a late frame does not push the following ones back. No thread waits on
 * a stream, so ten thousand idle streams cost ten thousand sockets and nothing else.
 */
final class BenchUpstream implements AutoCloseable {
    private static final byte[] HEAD = ascii("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"bench-model\",\"choices\":[{\"index\":0,");
    private static final byte[] ROLE = frame("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    private static final byte[] DELTA_HEAD = ascii("\"delta\":{\"content\":\"");
    private static final byte[] DELTA_TAIL = ascii("\"},\"finish_reason\":null}]}\n\n");
    private static final byte[] DONE = ascii("data: [DONE]\n\n");

    private final Server server;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "bench-upstream-timer");
        t.setDaemon(true);
        return t;
    });
    final AtomicInteger live = new AtomicInteger();
    private final Set<Player> playing = ConcurrentHashMap.newKeySet();
    final AtomicInteger aborted = new AtomicInteger();
    /** Connections accepted: a proxy that keeps its upstream connections opens few, one that does not opens one per stream. */
    final AtomicInteger connections = new AtomicInteger();

    BenchUpstream() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("bench-upstream");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        // Longer than the idle streams' 20 s pace; pooled connections nobody uses close after it.
        connector.setIdleTimeout(45_000);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connections.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // The body is a few hundred bytes that came with the headers; read it without blocking anyway.
                Content.Source.asString(request, StandardCharsets.UTF_8, new Promise<>() {
                    @Override
                    public void succeeded(String body) {
                        new Player(response, callback, Shape.in(body)).start();
                    }

                    @Override
                    public void failed(Throwable x) {
                        callback.failed(x);
                    }
                });
                return true;
            }
        });
        timer.setRemoveOnCancelPolicy(true);
        server.start();
    }

    /** The base URL a relay is configured with: {@code http://127.0.0.1:port/v1}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1");
    }

    /**
     * Cuts every stream still playing, as a provider that drops its connections. A relay keeps reading an ended
     * answer's response to its end (to account for it), so the idle scenario's three-minute streams would otherwise
     * hold a socket on both sides of the relay's upstream connection after their browsers left.
     */
    void cutAll() {
        playing.forEach(p -> p.cut(new CancellationException("the scenario is over")));
    }

    /** Sends frame 0 (role), 1..N (deltas), N+1 (finish and usage), N+2 ([DONE], last), each when it is due. */
    private final class Player implements Callback {
        private final Response response;
        private final Callback done;
        private final Shape shape;
        private final String markdown;
        private final long startNanos = System.nanoTime();
        private int next;
        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

        Player(Response response, Callback done, Shape shape) {
            this.response = response;
            this.done = done;
            this.shape = shape;
            this.markdown = shape.markdown() ? shape.markdownText() : null;
        }

        void start() {
            live.incrementAndGet();
            playing.add(this);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            send();
        }

        private void send() {
            if (over.get()) {
                return;
            }
            int n = shape.deltas();
            response.write(next == n + 2, ByteBuffer.wrap(next == 0 ? ROLE : next <= n ? delta(next) : next == n + 1 ? finish() : DONE), this);
        }

        private long dueNanos(int frame) {
            if (frame == 0) {
                return startNanos;
            }
            int delta = Math.min(frame, shape.deltas());
            return startNanos + TimeUnit.MILLISECONDS.toNanos(shape.firstMs() + (long) (delta - 1) * shape.paceMs());
        }

        @Override
        public void succeeded() {
            if (++next > shape.deltas() + 2) {
                if (over.compareAndSet(false, true)) {
                    playing.remove(this);
                    live.decrementAndGet();
                    done.succeeded();
                }
                return;
            }
            long wait = dueNanos(next) - System.nanoTime();
            if (wait <= 0) {
                send();
            } else {
                timer.schedule(this::send, wait, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void failed(Throwable x) {
            cut(x);
        }

        /** Ends the response with a failure (Jetty then closes the connection); once, whoever comes first. */
        void cut(Throwable x) {
            if (over.compareAndSet(false, true)) {
                playing.remove(this);
                live.decrementAndGet();
                aborted.incrementAndGet();
                done.failed(x);
            }
        }

        private byte[] delta(int i) {
            byte[] content = shape.content(i, markdown);
            byte[] f = new byte[HEAD.length + DELTA_HEAD.length + content.length + DELTA_TAIL.length];
            System.arraycopy(HEAD, 0, f, 0, HEAD.length);
            System.arraycopy(DELTA_HEAD, 0, f, HEAD.length, DELTA_HEAD.length);
            System.arraycopy(content, 0, f, HEAD.length + DELTA_HEAD.length, content.length);
            System.arraycopy(DELTA_TAIL, 0, f, f.length - DELTA_TAIL.length, DELTA_TAIL.length);
            return f;
        }

        private byte[] finish() {
            return frame("\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
                    + shape.deltas() * 4 + ",\"total_tokens\":" + (12 + shape.deltas() * 4) + "}}");
        }
    }

    private static byte[] frame(String rest) {
        byte[] tail = ascii(rest + "\n\n");
        byte[] f = new byte[HEAD.length + tail.length];
        System.arraycopy(HEAD, 0, f, 0, HEAD.length);
        System.arraycopy(tail, 0, f, HEAD.length, tail.length);
        return f;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        server.stop();
    }
}
