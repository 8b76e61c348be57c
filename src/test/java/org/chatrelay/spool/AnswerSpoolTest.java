package org.chatrelay.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.AnswerEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerSpoolTest {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final List<AnswerSpool> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AnswerSpool s : opened) {
            s.close();
        }
    }

    AnswerSpool spool(long maxBytes) {
        AnswerSpool s = new AnswerSpool(new SpoolConfig(dir, maxBytes), JSON);
        opened.add(s);
        return s;
    }

    static AnswerEnd end(int i) {
        return new AnswerEnd("usage-" + i, "msg-" + i, "conv-" + i, "answer " + i + " \u00e9\ud83d\ude00\n\"quoted\"", "completed", "stop",
                null, "model-x", 10 + i, 20 + i, "provider", 1000L + i, 100, 2000, 12.5, 300, 2, T0.plusSeconds(i), "p1",
                List.of(new AttemptRow(1, "p0", "m", "failed", 502, "http_502", 0, T0, 40),
                        new AttemptRow(2, "p1", "m", "answered", 200, null, 120, T0.plusMillis(160), 1800)), i % 2 == 1,
                i % 2 == 0 ? new AnswerThinking("thought " + i + " \ud83e\udd14", 300 + i, 1200, 40 + i, "provider") : null);
    }

    static List<AnswerEnd> ends(int from, int to) {
        return IntStream.range(from, to).mapToObj(AnswerSpoolTest::end).toList();
    }

    /** A sink that keeps what it was given, like a database that commits. */
    static final class Recorded implements AnswerSpool.Sink {
        final List<AnswerEnd> written = new ArrayList<>();

        @Override
        public void write(List<AnswerEnd> batch) {
            written.addAll(batch);
        }
    }

    @Test
    void appended_answers_are_replayed_field_for_field_and_the_spool_is_empty_after() throws Exception {
        AnswerSpool s = spool(1 << 20);
        assertTrue(s.append(ends(0, 3)));
        assertTrue(s.append(ends(3, 4)));
        assertEquals(4, s.pending());

        Recorded db = new Recorded();
        assertEquals(4, s.replay(db));

        assertEquals(ends(0, 4), db.written, "every field survives the round trip, in order");
        assertEquals(0, s.pending());
        assertEquals(0, s.bytes());
        assertEquals(0, s.replay(new Recorded()), "nothing replayed twice");
    }

    @Test
    void each_batch_is_on_disk_after_one_fsync() throws Exception {
        AnswerSpool s = spool(1 << 20);

        s.append(ends(0, 5));
        assertEquals(1, s.syncs());
        assertEquals(5, Files.readAllLines(dir.resolve(AnswerSpool.CURRENT)).size(), "all five lines written before append returned");
        s.append(ends(5, 6));
        s.append(ends(6, 8));

        assertEquals(3, s.syncs(), "one fsync per batch, not per answer");
        assertEquals(8, Files.readAllLines(dir.resolve(AnswerSpool.CURRENT)).size());
    }

    @Test
    void a_batch_past_the_bound_is_refused_whole_and_replay_frees_the_room() throws Exception {
        int line = new SpoolCodec(JSON).encode(end(0)).length;
        AnswerSpool s = spool(line * 3L + 2);
        assertTrue(s.append(ends(0, 2)));

        assertFalse(s.append(ends(2, 4)), "two more would pass the bound");
        assertEquals(2, s.pending(), "nothing of the refused batch is kept");
        assertEquals(2, Files.readAllLines(dir.resolve(AnswerSpool.CURRENT)).size());
        assertTrue(s.append(ends(2, 3)), "one more still fits");

        s.replay(new Recorded());
        assertTrue(s.append(ends(3, 6)), "room again once replayed");
    }

    @Test
    void a_line_cut_short_by_a_crash_is_skipped_and_the_rest_is_replayed_after_restart() throws Exception {
        AnswerSpool before = spool(1 << 20);
        before.append(ends(0, 2));
        before.close();
        opened.remove(before);
        // What kill -9 in the middle of a write leaves: the start of a line, no line feed.
        byte[] third = new SpoolCodec(JSON).encode(end(2));
        Files.write(dir.resolve(AnswerSpool.CURRENT), java.util.Arrays.copyOf(third, third.length / 2), StandardOpenOption.APPEND);

        AnswerSpool after = spool(1 << 20);
        assertEquals(2, after.pending(), "the whole lines of the last run are waiting");
        after.append(ends(3, 4));
        Recorded db = new Recorded();
        assertEquals(3, after.replay(db));

        assertEquals(List.of(end(0), end(1), end(3)), db.written);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(AnswerSpool.CURRENT), left.map(p -> p.getFileName().toString()).toList(), "replayed files deleted");
        }
    }

    @Test
    void a_whole_line_with_a_wrong_checksum_is_skipped() throws Exception {
        byte[] good = new SpoolCodec(JSON).encode(end(0));
        byte[] bad = new SpoolCodec(JSON).encode(end(1));
        bad[bad.length - 5] = (byte) (bad[bad.length - 5] == 'x' ? 'y' : 'x');
        Files.createDirectories(dir);
        Files.write(dir.resolve(AnswerSpool.CURRENT), good);
        Files.write(dir.resolve(AnswerSpool.CURRENT), bad, StandardOpenOption.APPEND);
        Files.write(dir.resolve(AnswerSpool.CURRENT), "garbage\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

        Recorded db = new Recorded();
        assertEquals(1, spool(1 << 20).replay(db));
        assertEquals(List.of(end(0)), db.written);
    }

    @Test
    void while_the_database_refuses_the_answers_stay_and_a_later_replay_stores_them() throws Exception {
        AnswerSpool s = spool(1 << 20);
        s.append(ends(0, 3));

        assertThrows(PersistenceException.class, () -> s.replay(batch -> {
            throw new PersistenceException("connection refused");
        }));
        assertEquals(3, s.pending());
        s.append(ends(3, 4));

        Recorded db = new Recorded();
        assertEquals(4, s.replay(db));
        assertEquals(ends(0, 4), db.written);
    }

    @Test
    void a_replay_cut_off_after_the_commit_replays_the_same_answers_again() throws Exception {
        // The database committed but the node died before the file was deleted: the next replay sends the same
        // answers again (the guarded final write makes that a no-op: AnswerRepositoryTest, SpoolReplayTest).
        AnswerSpool s = spool(1 << 20);
        s.append(ends(0, 2));
        Recorded db = new Recorded();
        assertThrows(IllegalStateException.class, () -> s.replay(batch -> {
            db.write(batch);
            throw new IllegalStateException("killed after the commit");
        }));

        s.replay(db);
        assertEquals(List.of(end(0), end(1), end(0), end(1)), db.written);
    }

    @Test
    void the_same_answer_spooled_twice_is_replayed_once() throws Exception {
        AnswerSpool s = spool(1 << 20);
        s.append(ends(0, 1));
        s.append(ends(0, 2));

        Recorded db = new Recorded();
        s.replay(db);
        assertEquals(List.of(end(0), end(1)), db.written);
    }
}
