package org.chatrelay.upstream.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Case 24 of docs/sse-conformance.md, and the exact edges of both limits. */
class SseDecoderLimitsTest {

    private static final int FOUR_MIB = 4 << 20;
    private static final int EIGHT_MIB = 8 << 20;

    /** "data: " + 4 MiB of letters (not one repeated byte, so a mangled copy shows) + a blank line. */
    private static final String BIG_DATA = letters(FOUR_MIB);
    private static final byte[] BIG_EVENT = ("data: " + BIG_DATA + "\n\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_4_mib_data_line_fed_one_byte_at_a_time_parses_in_linear_time() {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder, EIGHT_MIB, EIGHT_MIB);
        // Linear work is well under a second; re-scanning or re-copying the buffer per byte would take hours.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < BIG_EVENT.length; i++) {
                decoder.feed(ByteBuffer.wrap(BIG_EVENT, i, 1));
            }
        });
        assertEquals(1, recorder.events.size());
        assertEquals(BIG_DATA, recorder.events.get(0).data());
    }

    @Test
    void a_4_mib_line_under_the_default_1_mib_cap_fails_as_soon_as_the_cap_is_passed() {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        int failedAt = -1;
        SseException error = null;
        for (int i = 0; i < BIG_EVENT.length && error == null; i++) {
            try {
                decoder.feed(BIG_EVENT, i, 1);
            } catch (SseException e) {
                error = e;
                failedAt = i;
            }
        }
        if (error == null) {
            fail("a 4 MiB line was accepted under a 1 MiB cap");
        }
        assertEquals(SseException.Reason.LINE_TOO_LONG, error.reason());
        assertEquals(SseDecoder.DEFAULT_MAX_LINE_BYTES, failedAt, "must fail on the first byte past the cap");
        assertTrue(error.getMessage().startsWith("line too long: > 1048576 bytes"), error.getMessage());
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void a_4_mib_data_line_under_the_1_mib_event_cap_is_event_too_large() {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder, EIGHT_MIB, SseDecoder.DEFAULT_MAX_EVENT_BYTES);
        SseException error = assertThrows(SseException.class, () -> decoder.feed(ByteBuffer.wrap(BIG_EVENT)));
        assertEquals(SseException.Reason.EVENT_TOO_LARGE, error.reason());
        assertEquals("event too large: > 1048576 bytes (data would be " + FOUR_MIB + " bytes)", error.getMessage());
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void a_line_of_exactly_the_cap_is_accepted_and_one_more_byte_is_not() {
        byte[] fits = "data: 0123456789\n\n".getBytes(StandardCharsets.US_ASCII); // line = 16 bytes
        Recorder recorder = new Recorder();
        new SseDecoder(recorder, 16, 100).feed(fits, 0, fits.length);
        assertEquals(List.of(SseCase.message("0123456789")), recorder.events);

        SseDecoder tight = new SseDecoder(new Recorder(), 15, 100);
        SseException whole = assertThrows(SseException.class, () -> tight.feed(fits, 0, fits.length));
        assertEquals(SseException.Reason.LINE_TOO_LONG, whole.reason());

        SseDecoder split = new SseDecoder(new Recorder(), 15, 100);
        split.feed(fits, 0, 15);
        SseException buffered = assertThrows(SseException.class, () -> split.feed(fits, 15, 1));
        assertEquals(SseException.Reason.LINE_TOO_LONG, buffered.reason());
    }

    @Test
    void data_lines_that_fit_alone_but_not_together_are_event_too_large() {
        // Event data is "0123456789\n01234" = 16 bytes: exactly the cap, accepted.
        byte[] fits = "data: 0123456789\ndata: 01234\n\n".getBytes(StandardCharsets.US_ASCII);
        Recorder recorder = new Recorder();
        new SseDecoder(recorder, 100, 16).feed(fits, 0, fits.length);
        assertEquals(List.of(SseCase.message("0123456789\n01234")), recorder.events);

        byte[] tooBig = "data: 0123456789\ndata: 012345\n\n".getBytes(StandardCharsets.US_ASCII);
        Recorder none = new Recorder();
        SseDecoder decoder = new SseDecoder(none, 100, 16);
        SseException error = assertThrows(SseException.class, () -> decoder.feed(tooBig, 0, tooBig.length));
        assertEquals(SseException.Reason.EVENT_TOO_LARGE, error.reason());
        assertEquals("event too large: > 16 bytes (data would be 17 bytes)", error.getMessage());
        assertEquals(List.of(), none.events);
    }

    @Test
    void many_events_under_the_cap_never_accumulate_toward_it() {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder, 64, 64);
        byte[] frame = "data: 0123456789012345678901234567890123456789\n\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1000; i++) {
            decoder.feed(frame, 0, frame.length);
        }
        assertEquals(1000, recorder.events.size());
    }

    private static String letters(int count) {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = (char) ('a' + i % 26);
        }
        return new String(chars);
    }
}
