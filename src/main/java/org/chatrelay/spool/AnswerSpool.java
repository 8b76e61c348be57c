package org.chatrelay.spool;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chatrelay.persistence.AnswerEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished answers the database could not take, kept on this node's disk until it can: an append-only file, one line
 * per answer, fsync'd once per batch before the answers' {@code done} may leave. Bounded by
 * {@link SpoolConfig#maxBytes()}: a batch that does not fit is refused (whole), and its answers are not durable.
 *
 * <p>Replay moves the current file aside (appends go on in a fresh one), writes what it holds to the database and
 * deletes it only after the database committed. A crash in between replays it again: the database's guarded final
 * write ({@code end_reason IS NULL}) makes a second write of the same answer a no-op, so replay is idempotent. A line
 * a crash cut short fails its checksum and is skipped; it was never acknowledged, since the fsync had not returned.
 */
public final class AnswerSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerSpool.class);
    static final String CURRENT = "answers.log";
    static final String REPLAY_PREFIX = "replay-";
    /** Answers per database transaction during replay, like the recorder's group commit. */
    static final int REPLAY_BATCH = 64;

    /** Where replayed answers go: returns normally once they are committed. */
    @FunctionalInterface
    public interface Sink {
        void write(List<AnswerEnd> ends);
    }

    private final Path dir;
    private final long maxBytes;
    private final SpoolCodec codec;
    private final Object replaying = new Object();
    private FileChannel current;
    private long bytes;
    private int pending;
    private long syncs;
    private long sequence;

    public AnswerSpool(SpoolConfig config, ObjectMapper json) {
        this.dir = config.dir();
        this.maxBytes = config.maxBytes();
        this.codec = new SpoolCodec(json);
        try {
            Files.createDirectories(dir);
            // What a previous run left (maybe with a line cut short by a crash) is replayed, never appended to.
            Path left = dir.resolve(CURRENT);
            if (Files.exists(left) && Files.size(left) > 0) {
                Files.move(left, nextReplayFile(), StandardCopyOption.ATOMIC_MOVE);
            }
            for (Path p : replayFiles()) {
                bytes += Files.size(p);
                pending += read(p).size();
            }
            current = open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the answer spool in " + dir, e);
        }
    }

    /**
     * Appends the answers in one write and one fsync.
     *
     * @return true when they are on disk; false when they would pass the bound (nothing is written)
     * @throws IOException when the disk refused: they are not durable either
     */
    public synchronized boolean append(List<AnswerEnd> ends) throws IOException {
        List<byte[]> lines = new ArrayList<>(ends.size());
        int size = 0;
        for (AnswerEnd e : ends) {
            byte[] line = codec.encode(e);
            lines.add(line);
            size += line.length;
        }
        if (bytes + size > maxBytes) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        lines.forEach(buf::put);
        buf.flip();
        long before = current.size();
        try {
            while (buf.hasRemaining()) {
                current.write(buf);
            }
            current.force(false);
        } catch (IOException e) {
            // A half-written batch must not sit in front of the next one: cut it off (its lines were never acknowledged).
            try {
                current.truncate(before);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncs++;
        bytes += size;
        pending += ends.size();
        return true;
    }

    /** Answers waiting for the database. */
    public synchronized int pending() {
        return pending;
    }

    /** Bytes the spool's files hold, against {@link SpoolConfig#maxBytes()}. */
    public synchronized long bytes() {
        return bytes;
    }

    /** How many fsyncs appends have made: one per batch. */
    public synchronized long syncs() {
        return syncs;
    }

    /**
     * Writes every spooled answer to {@code sink}, oldest first, {@link #REPLAY_BATCH} per call; a file is deleted once
     * all of it is written. Stops at the first failure of the sink (the database still down): the rest stays.
     *
     * @return how many answers were written
     * @throws RuntimeException the sink's failure, after what was written before it is accounted
     */
    public int replay(Sink sink) {
        synchronized (replaying) {
            rotate();
            int written = 0;
            for (Path file : replayFiles()) {
                List<AnswerEnd> ends = read(file);
                for (int i = 0; i < ends.size(); i += REPLAY_BATCH) {
                    List<AnswerEnd> batch = ends.subList(i, Math.min(ends.size(), i + REPLAY_BATCH));
                    sink.write(batch);
                    written += batch.size();
                }
                long size = sizeOf(file);
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the replayed spool file " + file, e);
                }
                synchronized (this) {
                    bytes -= size;
                    pending -= ends.size();
                }
            }
            return written;
        }
    }

    /** Moves the current file aside for replay, so appends go on while it is written to the database. */
    private synchronized void rotate() {
        try {
            if (current.size() == 0) {
                return;
            }
            current.close();
            Files.move(dir.resolve(CURRENT), nextReplayFile(), StandardCopyOption.ATOMIC_MOVE);
            current = open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the answer spool in " + dir, e);
        }
    }

    /** The answers of one file, each once (by message id), damaged lines skipped. */
    private List<AnswerEnd> read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool file " + file, e);
        }
        Map<String, AnswerEnd> byMessage = new LinkedHashMap<>();
        int damaged = 0;
        int from = 0;
        while (from < all.length) {
            int to = from;
            while (to < all.length && all[to] != '\n') {
                to++;
            }
            AnswerEnd e = codec.decode(all, from, to);
            if (e == null) {
                damaged++;
            } else {
                byMessage.putIfAbsent(e.assistantMessageId(), e);
            }
            from = to + 1;
        }
        if (damaged > 0) {
            // The tail a crash cut off mid-write: never acknowledged, so nobody was told it was stored.
            LOG.warn("spool file {}: skipped {} damaged line(s)", file.getFileName(), damaged);
        }
        return new ArrayList<>(byMessage.values());
    }

    private List<Path> replayFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(REPLAY_PREFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the answer spool in " + dir, e);
        }
    }

    private Path nextReplayFile() {
        // Zero-padded time then a counter: names sort in the order the files were set aside, across restarts too.
        return dir.resolve(String.format("%s%020d-%06d.log", REPLAY_PREFIX, System.currentTimeMillis(), sequence++));
    }

    private FileChannel open() throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(CURRENT), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        syncDirectory();
        return ch;
    }

    /** A new file's name is durable only once its directory is synced (Linux; elsewhere this is best effort). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}", dir, e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        current.close();
    }
}
