package org.chatrelay.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.chatrelay.persistence.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the partial text of the node's streaming answers every interval, on its own thread: one batched UPDATE for
 * all the answers whose text grew since their last checkpoint, never a write per token, and no token ever waits for
 * it (it copies each answer's text under its feed's lock, which an append holds only to append, and writes after).
 * Each checkpoint writes the whole text so far: the bytes written per answer grow with the square of its length
 * (docs/scaling.md). What a crash loses is at most one
 * interval of text; a resume on another node runs at most one interval behind. The same thread reads, in one query,
 * when viewers on other nodes last stamped the node's detached answers ({@link RelayService#readViews}).
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /** A checkpoint to write and what to tell its answer once it is written. */
    record Due(Checkpoint checkpoint, Runnable written) {
    }

    private final Supplier<List<Due>> due;
    private final Consumer<List<Checkpoint>> store;
    private final Runnable views;
    private final ScheduledExecutorService timer;
    private volatile boolean warned;

    /** @param views also run every interval: the read of the viewed stamps of the node's detached answers */
    Checkpoints(Supplier<List<Due>> due, Consumer<List<Checkpoint>> store, Runnable views, Duration every) {
        this.due = due;
        this.store = store;
        this.views = views;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "answer-checkpoints");
            t.setDaemon(true);
            return t;
        });
        // At a fixed rate, not with a fixed delay: a slow write must not stretch what a crash can lose beyond the interval.
        timer.scheduleAtFixedRate(this::run, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void run() {
        write();
        try {
            views.run();
        } catch (RuntimeException e) {
            // As for the checkpoints: the next run reads again; meanwhile a detached answer's grace runs on.
            LOG.debug("cannot read when detached answers were viewed: {}", e.getMessage());
        }
    }

    private void write() {
        try {
            List<Due> batch = due.get();
            if (batch.isEmpty()) {
                return;
            }
            List<Checkpoint> checkpoints = new ArrayList<>(batch.size());
            batch.forEach(d -> checkpoints.add(d.checkpoint()));
            store.accept(checkpoints);
            batch.forEach(d -> d.written().run());
            warned = false;
        } catch (RuntimeException e) {
            // The database is unavailable (the answers themselves go to the spool then): once per outage, and the
            // next run writes the then current text.
            if (!warned) {
                warned = true;
                LOG.warn("cannot write answer checkpoints: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
