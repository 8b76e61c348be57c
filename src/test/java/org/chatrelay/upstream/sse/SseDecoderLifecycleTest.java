package org.chatrelay.upstream.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** end(), reset(), feed() bookkeeping and the constructor's checks. */
class SseDecoderLifecycleTest {

    private final Recorder recorder = new Recorder();
    private final SseDecoder decoder = new SseDecoder(recorder);

    @Test
    void a_fresh_decoder_has_no_last_event_id_and_no_retry() {
        assertEquals("", decoder.lastEventId());
        assertEquals(-1, decoder.retryMillis());
    }

    @Test
    void reset_forgets_everything_and_checks_for_a_bom_again() {
        feed("id: 5\nretry: 10\nevent: t\ndata: partial\npar");
        decoder.reset();
        assertEquals("", decoder.lastEventId());
        assertEquals(-1, decoder.retryMillis());
        // Without the BOM check the first name would be "\uFEFFdata"; without clearing, "tial" or type "t" would leak.
        decoder.feed(ByteBuffer.wrap(SseCase.bytes(new Object[] {SseCase.BOM, "tial\n\ndata: x\n\n"})));
        assertEquals(List.of(SseCase.message("x")), recorder.events);
    }

    @Test
    void end_discards_undispatched_fields_so_nothing_completes_them_later() {
        feed("event: t\ndata: b\n");
        decoder.end();
        feed("\n");
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void end_discards_a_partial_line() {
        feed("data: b");
        decoder.end();
        feed("\n\n");
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void end_keeps_last_event_id_and_retry_readable() {
        feed("id: 9\nretry: 250\ndata: a\n\ndata: cut");
        decoder.end();
        assertEquals("9", decoder.lastEventId());
        assertEquals(250, decoder.retryMillis());
    }

    @Test
    void a_cr_ending_a_chunk_dispatches_at_once_without_waiting_for_the_next_byte() {
        feed("data: a\r\r");
        assertEquals(List.of(SseCase.message("a")), recorder.events);
        feed("\ndata: b\n\n"); // that LF completes the CRLF; it is not a second blank line
        assertEquals(List.of(SseCase.message("a"), SseCase.message("b")), recorder.events);
    }

    @Test
    void feeding_a_buffer_consumes_all_of_it_whatever_its_kind() {
        byte[] bytes = SseCase.bytes("data: x\n\n");
        for (ByteBuffer buffer : List.of(ByteBuffer.wrap(bytes), ByteBuffer.wrap(bytes).asReadOnlyBuffer(),
                ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(), ByteBuffer.allocate(0))) {
            decoder.feed(buffer);
            assertEquals(buffer.limit(), buffer.position());
        }
        assertEquals(3, recorder.events.size());
    }

    @Test
    void a_direct_buffer_larger_than_the_copy_buffer_is_decoded_whole() {
        String data = "y".repeat(20_000);
        byte[] bytes = SseCase.bytes("data: " + data + "\n\n");
        decoder.feed(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
        assertEquals(List.of(SseCase.message(data)), recorder.events);
    }

    @Test
    void the_listener_sees_events_only_through_its_own_callbacks_in_order() {
        feed(": hb\nretry: 3000\nid: 1\nevent: ping\ndata: {}\n\n");
        assertEquals(List.of(" hb"), recorder.comments);
        assertEquals(List.of(3000L), recorder.retries);
        assertEquals(List.of(SseCase.event("ping", "{}", "1")), recorder.events);
    }

    @Test
    void bad_arguments_are_rejected() {
        assertThrows(NullPointerException.class, () -> new SseDecoder(null));
        assertThrows(IllegalArgumentException.class, () -> new SseDecoder(recorder, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SseDecoder(recorder, 10, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.feed(new byte[4], 3, 2));
    }

    private void feed(String text) {
        byte[] bytes = SseCase.bytes(text);
        decoder.feed(bytes, 0, bytes.length);
    }
}
