package org.chatrelay.spool;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.AnswerEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes finished answers durable: in the database, retried with back-off; while the database stays unavailable, in
 * this node's {@link AnswerSpool}, replayed into the database when it answers again (checked every
 * {@code replayEvery}) and at start-up. Knows whether the database took the last write, so new chats can be refused
 * at once instead of each waiting for the pool's connection timeout.
 */
public final class DurableStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);
    /** Waits before the 2nd, 3rd and 4th try: a pool or lock timeout, a failover, a restart's first seconds. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(1600));

    private final AnswerSpool.Sink database;
    private final BooleanSupplier reachable;
    private final AnswerSpool spool;
    private final List<Duration> backoff;
    private final ScheduledExecutorService replays;
    private volatile boolean databaseDown;

    /** @param reachable whether the database answers (for when there is nothing spooled to try it with) */
    public DurableStore(AnswerSpool.Sink database, BooleanSupplier reachable, AnswerSpool spool, List<Duration> backoff) {
        this.database = database;
        this.reachable = reachable;
        this.spool = spool;
        this.backoff = List.copyOf(backoff);
        this.replays = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spool-replay");
            t.setDaemon(true);
            return t;
        });
    }

    public DurableStore(AnswerSpool.Sink database, BooleanSupplier reachable, AnswerSpool spool) {
        this(database, reachable, spool, BACKOFF);
    }

    /** Replays the spool every {@code every} while it holds answers (or the database is known down). */
    public DurableStore replayEvery(Duration every) {
        replays.scheduleWithFixedDelay(this::replayQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Stores answers in the database, or else in the spool.
     *
     * @return per answer, whether it is durable; an answer that is not (the spool full or its disk failing, or no
     * usage row to finish) must not be reported as stored
     */
    public boolean[] store(List<AnswerEnd> ends) {
        boolean[] durable = new boolean[ends.size()];
        if (!databaseDown) {
            RuntimeException last = null;
            for (int attempt = 0; attempt <= backoff.size(); attempt++) {
                try {
                    writeIsolating(ends, durable);
                    return durable;
                } catch (RuntimeException e) {
                    last = e;
                }
                // The pool already spent its connection timeout trying to reach the database: another try would make
                // the answers wait that long again before the spool takes them.
                if (noConnection(last) || attempt < backoff.size() && !sleep(backoff.get(attempt))) {
                    break;
                }
            }
            databaseDown = true;
            LOG.error("database unavailable ({}); answers go to the spool until it is back", last.toString());
        }
        try {
            if (spool.append(ends)) {
                Arrays.fill(durable, true);
                LOG.warn("spooled {} answers ({} waiting, {} bytes)", ends.size(), spool.pending(), spool.bytes());
            } else {
                LOG.error("spool full ({} bytes): {} answers could not be stored", spool.bytes(), ends.size());
            }
        } catch (IOException e) {
            LOG.error("cannot write the spool: {} answers could not be stored", ends.size(), e);
        }
        return durable;
    }

    /** An answer whose usage row is gone does not cost the others their write. */
    private void writeIsolating(List<AnswerEnd> ends, boolean[] durable) {
        try {
            database.write(ends);
            Arrays.fill(durable, true);
        } catch (NotFoundException batch) {
            for (int i = 0; i < ends.size(); i++) {
                try {
                    database.write(List.of(ends.get(i)));
                    durable[i] = true;
                } catch (NotFoundException gone) {
                    LOG.error("answer {} has no usage row to finish", ends.get(i).assistantMessageId());
                }
            }
        }
    }

    /**
     * Writes the spooled answers to the database; on success the database counts as available again.
     *
     * @throws RuntimeException the database's failure (the rest stays spooled)
     */
    public int replay() {
        int n;
        try {
            n = spool.replay(this::replayBatch);
        } catch (RuntimeException e) {
            databaseDown = true;
            throw e;
        }
        if (n == 0 && databaseDown && !reachable.getAsBoolean()) {
            // Nothing was spooled (the spool was full): only a probe tells whether the database is back.
            return 0;
        }
        if (databaseDown || n > 0) {
            LOG.info("database available; {} spooled answers replayed", n);
        }
        databaseDown = false;
        return n;
    }

    /**
     * A spooled answer the database refuses while it answers (its usage row gone, a value it rejects) is dropped,
     * logged with its id: kept, it would hold back the spool, and the node's new chats, for ever.
     */
    private void replayBatch(List<AnswerEnd> ends) {
        try {
            writeIsolating(ends, new boolean[ends.size()]);
        } catch (RuntimeException batchFailed) {
            if (!reachable.getAsBoolean()) {
                throw batchFailed;
            }
            for (AnswerEnd one : ends) {
                try {
                    writeIsolating(List.of(one), new boolean[1]);
                } catch (RuntimeException refused) {
                    if (!reachable.getAsBoolean() || !dataError(refused)) {
                        // Unreachable, or a failure that may pass (a lock or statement timeout, a serialization
                        // failure): the answer stays spooled for the next replay.
                        throw refused;
                    }
                    LOG.error("spooled answer {} refused by the database, dropped: {}", one.assistantMessageId(), refused.toString());
                }
            }
        }
    }

    /**
     * Whether the database refused the answer itself: a value it rejects (SQLSTATE class 22) or a constraint it breaks
     * (class 23). Only such a refusal will never pass, so only then is a spooled answer given up.
     */
    static boolean dataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private void replayQuietly() {
        if (!databaseDown && spool.pending() == 0) {
            return;
        }
        try {
            replay();
        } catch (RuntimeException e) {
            LOG.debug("spool replay failed, will retry: {}", e.toString());
        }
    }

    /** False while the last write found the database unavailable and no replay has succeeded since. */
    public boolean databaseAvailable() {
        return !databaseDown;
    }

    public int spooled() {
        return spool.pending();
    }

    private static boolean noConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the replays; what is still spooled is replayed at the next start. */
    @Override
    public void close() throws IOException {
        replays.shutdownNow();
        try {
            replays.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}
