package org.chatrelay.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.AnswerEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStoreTest {
    static final List<Duration> NO_WAIT = List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    @TempDir
    Path dir;

    /** A database that fails while {@code down} is set, counting every write it was asked for. */
    static final class FlakyDatabase implements AnswerSpool.Sink {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        final List<AnswerEnd> stored = new ArrayList<>();
        RuntimeException failure = new PersistenceException("cannot finish answer", new java.sql.SQLException("lock timeout"));

        @Override
        public void write(List<AnswerEnd> ends) {
            calls.incrementAndGet();
            if (down.get()) {
                throw failure;
            }
            stored.addAll(ends);
        }
    }

    DurableStore store(FlakyDatabase db, long maxBytes) {
        return new DurableStore(db, () -> !db.down.get(), new AnswerSpool(new SpoolConfig(dir, maxBytes), new ObjectMapper()), NO_WAIT);
    }

    DurableStore store(AnswerSpool.Sink sink, BooleanSupplier reachable) {
        return new DurableStore(sink, reachable, new AnswerSpool(new SpoolConfig(dir, 1 << 20), new ObjectMapper()), NO_WAIT);
    }

    /** Refuses every write while {@code down} is set, then a batch with usage-1 in it while {@code refusing} holds. */
    static AnswerSpool.Sink downThenRefusingUsage1(FlakyDatabase db, AtomicBoolean down, BooleanSupplier refusing,
            Supplier<RuntimeException> refusal) {
        return ends -> {
            if (down.get()) {
                throw new PersistenceException("connection refused");
            }
            if (refusing.getAsBoolean() && ends.stream().anyMatch(e -> e.usageId().equals("usage-1"))) {
                throw refusal.get();
            }
            db.write(ends);
        };
    }

    @Test
    void a_failed_write_is_retried_and_then_stored() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        AtomicInteger failures = new AtomicInteger(2);
        AnswerSpool.Sink twiceFailing = ends -> {
            if (failures.getAndDecrement() > 0) {
                throw new PersistenceException("deadlock");
            }
            db.write(ends);
        };
        try (DurableStore s = store(twiceFailing, () -> true)) {
            assertArrayEquals(new boolean[] {true, true}, s.store(AnswerSpoolTest.ends(0, 2)));
            assertEquals(AnswerSpoolTest.ends(0, 2), db.stored);
            assertEquals(0, s.spooled());
            assertTrue(s.databaseAvailable());
        }
    }

    @Test
    void while_the_database_stays_down_answers_are_spooled_then_replayed_once_it_is_back() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        try (DurableStore s = store(db, 1 << 20)) {
            db.down.set(true);
            assertArrayEquals(new boolean[] {true, true}, s.store(AnswerSpoolTest.ends(0, 2)), "durable in the spool");
            assertEquals(1 + NO_WAIT.size(), db.calls.get(), "the first try and one per back-off step");
            assertFalse(s.databaseAvailable());

            assertArrayEquals(new boolean[] {true}, s.store(AnswerSpoolTest.ends(2, 3)));
            assertEquals(1 + NO_WAIT.size(), db.calls.get(), "known down: straight to the spool");
            assertEquals(3, s.spooled());

            db.down.set(false);
            assertEquals(3, s.replay());
            assertTrue(s.databaseAvailable());
            assertEquals(AnswerSpoolTest.ends(0, 3), db.stored);
            assertEquals(0, s.spooled());
        }
    }

    @Test
    void no_connection_within_the_pools_timeout_goes_to_the_spool_without_more_tries() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        db.failure = new PersistenceException("cannot finish answer", new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms"));
        db.down.set(true);
        try (DurableStore s = store(db, 1 << 20)) {
            assertArrayEquals(new boolean[] {true}, s.store(AnswerSpoolTest.ends(0, 1)));
            assertEquals(1, db.calls.get());
            assertEquals(1, s.spooled());
        }
    }

    @Test
    void with_the_database_down_and_the_spool_full_nothing_is_reported_durable() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        db.down.set(true);
        try (DurableStore s = store(db, 100)) {
            assertArrayEquals(new boolean[] {false, false}, s.store(AnswerSpoolTest.ends(0, 2)));
            assertEquals(0, s.spooled());
            s.replay();
            assertFalse(s.databaseAvailable(), "nothing spooled to try: the probe says the database is still down");
            db.down.set(false);
            s.replay();
            assertTrue(s.databaseAvailable());
        }
    }

    @Test
    void an_answer_without_a_usage_row_is_not_durable_and_costs_the_others_nothing() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        AnswerSpool.Sink oneMissing = ends -> {
            if (ends.stream().anyMatch(e -> e.usageId().equals("usage-1"))) {
                throw new NotFoundException("no usage row usage-1");
            }
            db.write(ends);
        };
        try (DurableStore s = store(oneMissing, () -> true)) {
            assertArrayEquals(new boolean[] {true, false, true}, s.store(AnswerSpoolTest.ends(0, 3)));
            assertEquals(List.of(AnswerSpoolTest.end(0), AnswerSpoolTest.end(2)), db.stored);
            assertTrue(s.databaseAvailable(), "a missing row is no outage");
        }
    }
    @Test
    void a_spooled_answer_without_a_usage_row_is_dropped_and_does_not_hold_back_the_rest() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        AtomicBoolean down = new AtomicBoolean(true);
        AnswerSpool.Sink sink = downThenRefusingUsage1(db, down, () -> true, () -> new NotFoundException("no usage row usage-1"));
        try (DurableStore s = store(sink, () -> !down.get())) {
            s.store(AnswerSpoolTest.ends(0, 3));
            assertEquals(3, s.spooled());
            down.set(false);

            s.replay();

            assertEquals(List.of(AnswerSpoolTest.end(0), AnswerSpoolTest.end(2)), db.stored);
            assertEquals(0, s.spooled());
        }
    }
    @Test
    void a_spooled_answer_the_database_refuses_while_it_answers_is_dropped_and_the_rest_replayed() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        AtomicBoolean down = new AtomicBoolean(true);
        AnswerSpool.Sink sink = downThenRefusingUsage1(db, down, () -> true,
                () -> new PersistenceException("cannot finish answer", new java.sql.SQLException("value too long", "22001")));
        try (DurableStore s = store(sink, () -> !down.get())) {
            s.store(AnswerSpoolTest.ends(0, 3));
            down.set(false);

            s.replay();

            assertEquals(List.of(AnswerSpoolTest.end(0), AnswerSpoolTest.end(2)), db.stored);
            assertEquals(0, s.spooled(), "nothing left to block the spool");
            assertTrue(s.databaseAvailable());
        }
    }

    @Test
    void a_spooled_answer_that_meets_a_passing_failure_stays_spooled_and_is_stored_by_the_next_replay() throws Exception {
        FlakyDatabase db = new FlakyDatabase();
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicBoolean locked = new AtomicBoolean(true);
        // H2's lock timeout: the database answers, and the same write will pass later.
        AnswerSpool.Sink sink = downThenRefusingUsage1(db, down, locked::get,
                () -> new PersistenceException("cannot finish answer", new java.sql.SQLException("Timeout trying to lock table", "HYT00")));
        try (DurableStore s = store(sink, () -> !down.get())) {
            s.store(AnswerSpoolTest.ends(0, 3));
            down.set(false);

            assertThrows(RuntimeException.class, s::replay, "the lock timeout is reported, not swallowed");
            assertEquals(3, s.spooled(), "a passing failure drops no acknowledged answer");
            locked.set(false);
            s.replay();

            // The first replay stored usage-0 before the lock timeout; writing it again is a no-op in the database
            // (the final write is guarded), so a set is what counts here.
            assertEquals(Set.copyOf(AnswerSpoolTest.ends(0, 3)), Set.copyOf(db.stored));
            assertEquals(0, s.spooled());
        }
    }
}
