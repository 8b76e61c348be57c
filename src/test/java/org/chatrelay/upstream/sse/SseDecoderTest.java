package org.chatrelay.upstream.sse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the conformance table, fed four ways. Each way also exercises a different feed path: read-only
 * buffers (copied), heap buffers with a non-zero array offset, array slices, and a reused direct buffer.
 */
class SseDecoderTest {

    enum Feeding { AS_GIVEN_CHUNKS, WHOLE, SPLIT_AT_EVERY_BYTE, ONE_BYTE_AT_A_TIME }

    static Stream<Arguments> rows() {
        return SseConformanceTable.cases().stream()
                .flatMap(row -> Stream.of(Feeding.values()).map(feeding -> Arguments.of(row, feeding)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("rows")
    void decodes_the_row_however_the_bytes_are_chunked(SseCase row, Feeding feeding) {
        byte[] input = row.input();
        switch (feeding) {
            case AS_GIVEN_CHUNKS -> check(row, "as given", decoder -> {
                for (byte[] chunk : row.chunks) {
                    feedFully(decoder, ByteBuffer.wrap(chunk).asReadOnlyBuffer());
                }
            });
            case WHOLE -> check(row, "whole", decoder -> feedFully(decoder, offsetSlice(input)));
            case SPLIT_AT_EVERY_BYTE -> {
                for (int split = 0; split <= input.length; split++) {
                    int at = split;
                    check(row, "split at byte " + at, decoder -> {
                        decoder.feed(input, 0, at);
                        decoder.feed(input, at, input.length - at);
                    });
                }
            }
            case ONE_BYTE_AT_A_TIME -> check(row, "one byte at a time", decoder -> {
                ByteBuffer one = ByteBuffer.allocateDirect(1);
                for (byte b : input) {
                    one.clear();
                    one.put(b).flip();
                    feedFully(decoder, one);
                }
            });
        }
    }

    @Test
    void json_with_unicode_line_separators_still_parses_after_decoding() throws Exception {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        String json = "{\"t\":\"a\u2028b\u2029c\u0085d\"}";
        byte[] input = SseCase.bytes("data: " + json + "\n\n");
        for (int i = 0; i < input.length; i++) {
            decoder.feed(input, i, 1);
        }
        assertEquals(1, recorder.events.size());
        assertEquals("a\u2028b\u2029c\u0085d",
                new ObjectMapper().readTree(recorder.events.get(0).data()).get("t").asText());
    }

    private interface Feed {
        void into(SseDecoder decoder);
    }

    private static void check(SseCase row, String how, Feed feed) {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        feed.into(decoder);
        decoder.end();
        String where = row.name + ", fed " + how;
        assertAll(where,
                () -> assertEquals(row.events, recorder.events, where + ": events"),
                () -> assertEquals(row.comments, recorder.comments, where + ": comments"),
                () -> assertEquals(row.retries, recorder.retries, where + ": onRetry calls"),
                () -> assertEquals(row.lastEventId, decoder.lastEventId(), where + ": lastEventId"),
                () -> assertEquals(row.retryMillis, decoder.retryMillis(), where + ": retryMillis"));
    }

    private static void feedFully(SseDecoder decoder, ByteBuffer chunk) {
        decoder.feed(chunk);
        assertEquals(chunk.limit(), chunk.position(), "feed must consume every remaining byte");
    }

    /** A slice (non-zero array offset) positioned mid-way, with whole junk events around it that must never be read. */
    private static ByteBuffer offsetSlice(byte[] input) {
        byte[] junk = SseCase.bytes("data: junk\n\n");
        byte[] padded = SseCase.bytes(new Object[] {junk, junk, input, junk});
        ByteBuffer slice = ByteBuffer.wrap(padded, junk.length, padded.length - junk.length).slice();
        return slice.position(junk.length).limit(junk.length + input.length);
    }
}
