package org.chatrelay.ops;

import java.time.Duration;
import org.chatrelay.relay.RelayService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping without losing answers. On SIGTERM a JVM shutdown hook runs: new chats get 503, answers in flight get
 * up to {@code CHATRELAY_SHUTDOWN_GRACE_MS} to finish, the rest end with a terminal {@code error} event and are
 * stored as {@code interrupted}.
 *
 * <p>Why a shutdown hook and not {@code contextDestroyed}: Jetty closes the connectors, and with them every open
 * stream, before it destroys the contexts. Its {@code graceful} module (jetty-config/start.d/graceful.ini) keeps
 * the connections open while requests are in flight, up to {@code jetty.server.stopTimeout}, which must be longer
 * than the grace; this hook uses that window. Under a container without it, {@link #close()} (from
 * {@code contextDestroyed}) still stores whatever is left as {@code interrupted}.
 */
public final class GracefulShutdown implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final RelayService relay;
    private final Runnable startDraining;
    private final Thread hook;
    private volatile boolean cutShort;

    public GracefulShutdown(RelayService relay, Runnable startDraining, Duration grace) {
        this.relay = relay;
        this.startDraining = startDraining;
        this.hook = new Thread(() -> drain(grace), "chatrelay-drain");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Refuses new chats, waits up to {@code grace} for the answers in flight, then interrupts the rest. */
    void drain(Duration grace) {
        startDraining.run();
        int live = relay.activeStreams();
        if (live > 0 && !grace.isZero()) {
            LOG.info("stopping: {} answers in flight get up to {} ms to finish", live, grace.toMillis());
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (relay.activeStreams() > 0 && System.nanoTime() < deadline && !cutShort) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int interrupted = relay.interruptAll();
        if (interrupted > 0) {
            LOG.warn("stopping: {} answers did not finish in time and were stored as interrupted", interrupted);
        }
    }

    /** The context is being destroyed: whatever still streams is interrupted now (the hook may already have run). */
    @Override
    public void close() {
        cutShort = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is exiting and the hook has run or is running: it stops waiting once cutShort is seen.
        }
        drain(Duration.ZERO);
    }
}
