package org.chatrelay.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The browser's writer against an output stream whose readiness the test decides, as the container's would change. */
class SseSinkTest {

    /** A non-blocking ServletOutputStream: ready when the test says so; the test calls the listener back itself. */
    static final class FakeOut extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        int flushes;
        int writes;
        WriteListener listener;
        IOException failure;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener l) {
            listener = l;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw failure;
            }
            writes++;
            written.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return written.toString(UTF_8);
        }
    }

    private final FakeOut out = new FakeOut();
    private final AtomicInteger drained = new AtomicInteger();
    private final List<Throwable> failures = new ArrayList<>();
    private final SseSink sink = new SseSink(out, drained::incrementAndGet, failures::add);

    private static byte[] frame(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void frames_staged_within_one_upstream_read_go_out_as_one_write_and_one_flush_when_it_is_done() {
        sink.send(frame("event: start\n\n"));
        sink.begin();
        int writes = out.writes;
        int flushes = out.flushes;
        assertTrue(sink.stage(frame("event: token\ndata: a\n\n")));
        assertTrue(sink.stage(frame("event: token\ndata: b\n\n")));
        assertTrue(sink.stage(frame("event: token\ndata: c\n\n")));
        assertEquals(writes, out.writes, "a staged frame was written before its read was done");
        sink.flushStaged();
        assertEquals(writes + 1, out.writes);
        assertEquals(flushes + 1, out.flushes);
        assertTrue(out.text().endsWith("data: a\n\nevent: token\ndata: b\n\nevent: token\ndata: c\n\n"), out.text());
    }

    @Test
    void staged_frames_wait_for_a_socket_that_is_not_ready_and_count_against_the_high_water() throws IOException {
        sink.begin();
        out.ready = false;
        byte[] big = new byte[SseSink.HIGH_WATER / 2];
        assertTrue(sink.stage(big));
        assertTrue(sink.stage(big));
        sink.flushStaged();
        assertFalse(sink.hasRoom());
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(2 * big.length, out.written.size());
        assertTrue(sink.hasRoom());
    }

    @Test
    void frames_are_staged_until_begin_then_written_in_one_write_and_flushed() throws IOException {
        assertTrue(sink.send(frame("event: start\n\n")));
        assertTrue(sink.send(frame("event: token\n\n")));
        assertEquals("", out.text());
        sink.begin();
        assertSame(sink, out.listener);
        assertEquals("event: start\n\nevent: token\n\n", out.text());
        assertEquals(1, out.writes, "small frames are coalesced");
        assertEquals(1, out.flushes);
        assertEquals(SseSink.State.OPEN, sink.state());
    }

    @Test
    void while_the_socket_is_not_ready_frames_queue_until_on_write_possible_and_reads_pause_at_the_high_water() throws IOException {
        sink.begin();
        out.ready = false;
        byte[] big = new byte[SseSink.HIGH_WATER / 4];
        for (int i = 0; i < 4; i++) {
            assertTrue(sink.send(big));
        }
        assertEquals(0, out.written.size());
        assertFalse(sink.hasRoom(), "a browser that does not read stops the upstream reads");
        int before = drained.get();
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(SseSink.HIGH_WATER, out.written.size());
        assertTrue(sink.hasRoom());
        assertEquals(before + 1, drained.get(), "the upstream reads resume once the queue drained");
        assertEquals(1, out.flushes);
    }

    @Test
    void close_writes_the_last_frame_then_runs_its_step_once_and_takes_nothing_more() throws IOException {
        sink.begin();
        out.ready = false;
        sink.send(frame("event: token\n\n"));
        AtomicInteger then = new AtomicInteger();
        sink.close(frame("event: done\n\n"), then::incrementAndGet);
        assertEquals(SseSink.State.CLOSING, sink.state());
        assertFalse(sink.send(frame("event: late\n\n")), "nothing after the terminal frame");
        assertEquals(0, then.get(), "not before the last frame left");
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals("event: token\n\nevent: done\n\n", out.text());
        assertEquals(1, then.get());
        assertEquals(SseSink.State.CLOSED, sink.state());
        out.listener.onWritePossible();
        out.listener.onError(new IOException("closed by the container"));
        assertEquals(1, then.get());
        assertEquals(List.of(), failures, "a closed sink reports no failure");
    }

    @Test
    void a_close_before_begin_is_written_by_begin() throws IOException {
        AtomicInteger then = new AtomicInteger();
        sink.send(frame("event: start\n\n"));
        sink.close(frame("event: done\n\n"), then::incrementAndGet);
        assertEquals(0, then.get());
        sink.begin();
        assertEquals("event: start\n\nevent: done\n\n", out.text());
        assertEquals(1, then.get());
    }

    @Test
    void a_failed_write_reports_the_browser_gone_once_and_runs_a_pending_close() throws IOException {
        sink.begin();
        int before = drained.get();
        out.ready = false;
        AtomicInteger then = new AtomicInteger();
        sink.close(frame("event: done\n\n"), then::incrementAndGet);
        out.failure = new IOException("broken pipe");
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(List.of(out.failure), failures);
        assertEquals(1, then.get());
        assertEquals(SseSink.State.FAILED, sink.state());
        assertFalse(sink.hasRoom());
        assertFalse(sink.send(frame("event: token\n\n")));
        out.listener.onError(new IOException("again"));
        assertEquals(1, failures.size());
        assertEquals(before, drained.get(), "a gone browser resumes no reads");
    }

    @Test
    void after_the_container_s_error_a_close_runs_its_step_at_once() throws IOException {
        sink.begin();
        IOException gone = new IOException("reset by peer");
        out.listener.onError(gone);
        assertEquals(List.of(gone), failures);
        AtomicInteger then = new AtomicInteger();
        sink.close(frame("event: done\n\n"), then::incrementAndGet);
        assertEquals(1, then.get());
        assertEquals("", out.text());
    }
}
