package org.chatrelay.upstream.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The SSE decoder under Jazzer. In {@code mvn verify} this replays the corpus in {@code SseDecoderFuzzTestInputs/}
 * (seeds and every input that ever failed); with {@code JAZZER_FUZZ=1} it fuzzes (docs/testing.md, "Fuzzing"). For any
 * bytes: the only exception is the documented {@link SseException}; no event or comment is larger than the decoder's
 * caps; and the callbacks are the same whether the bytes come whole, one at a time or split in two at any point.
 */
class SseDecoderFuzzTest {
    static final int MAX_LINE = 64;
    static final int MAX_EVENT = 128;

    @FuzzTest(maxDuration = "20s")
    // Printable entries only (libFuzzer's dictionary format takes one line per entry); line ends come from the seeds.
    @DictionaryEntries({"data:", "data: ", "event:", "id:", "retry:", ":", "[DONE]"})
    void any_bytes_decode_the_same_however_they_are_split_and_within_the_caps(byte[] stream) {
        Run whole = run(stream, stream.length, false);
        assertEquals(whole, run(stream, 1, false), "fed one byte at a time");
        int split = stream.length == 0 ? 0 : Math.floorMod(java.util.Arrays.hashCode(stream), stream.length + 1);
        assertEquals(whole, runSplitAt(stream, split), "split at byte " + split);
        assertEquals(whole, run(stream, 7, true), "fed through a direct buffer in 7-byte chunks");
        // Each byte yields at most one UTF-16 unit: within the cap in chars means the decoder kept no more bytes than the cap.
        for (String data : whole.data) {
            assertTrue(data.length() <= MAX_EVENT, "an event of " + data.length() + " chars passed the cap of " + MAX_EVENT + " bytes");
        }
        for (String comment : whole.comments) {
            assertTrue(comment.length() < MAX_LINE, "a comment of " + comment.length() + " chars passed the line cap of " + MAX_LINE);
        }
    }

    /** What a decoder said: its callbacks in order, and how it failed, if it did. */
    record Run(List<String> calls, List<String> data, List<String> comments, SseException.Reason failure) {
    }

    static Run run(byte[] stream, int chunk, boolean direct) {
        Listener l = new Listener();
        SseDecoder decoder = new SseDecoder(l, MAX_LINE, MAX_EVENT);
        try {
            for (int i = 0; i < stream.length; i += chunk) {
                int n = Math.min(chunk, stream.length - i);
                if (direct) {
                    ByteBuffer b = ByteBuffer.allocateDirect(n).put(stream, i, n).flip();
                    decoder.feed(b);
                } else {
                    decoder.feed(stream, i, n);
                }
            }
            decoder.end();
            return new Run(l.calls, l.data, l.comments, null);
        } catch (SseException e) {
            return new Run(l.calls, l.data, l.comments, e.reason());
        }
    }

    static Run runSplitAt(byte[] stream, int at) {
        Listener l = new Listener();
        SseDecoder decoder = new SseDecoder(l, MAX_LINE, MAX_EVENT);
        try {
            decoder.feed(stream, 0, at);
            decoder.feed(stream, at, stream.length - at);
            decoder.end();
            return new Run(l.calls, l.data, l.comments, null);
        } catch (SseException e) {
            return new Run(l.calls, l.data, l.comments, e.reason());
        }
    }

    static final class Listener implements SseListener {
        final List<String> calls = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final List<String> comments = new ArrayList<>();

        @Override
        public void onEvent(SseEvent event) {
            calls.add("event " + event.type() + "|" + event.id() + "|" + event.data());
            data.add(event.data());
        }

        @Override
        public void onComment(String comment) {
            calls.add("comment " + comment);
            comments.add(comment);
        }

        @Override
        public void onRetry(long millis) {
            calls.add("retry " + millis);
        }
    }
}
