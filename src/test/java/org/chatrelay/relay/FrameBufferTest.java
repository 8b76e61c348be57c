package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A viewer's frames encoded in one reused buffer: the same bytes as before, and no arrays per delta. */
class FrameBufferTest {

    @Test
    void every_character_is_quoted_byte_for_byte_as_jackson_quotes_it() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0xD800; c++) {
            all.append(c);
        }
        for (int c = 0xE000; c <= 0xFFFF; c++) {
            all.append((char) c);
        }
        all.appendCodePoint(0x1F600).appendCodePoint(0x10000).appendCodePoint(0x10FFFF);
        String s = all.toString();
        for (int from = 0; from < s.length(); from += 997) {
            int to = Math.min(s.length(), from + 997);
            if (Character.isHighSurrogate(s.charAt(to - 1))) {
                to++;
            }
            assertQuotedAsJackson(s.substring(from, to));
        }
        for (String odd : new String[] {"", "\"", "\\", "a\"b\\c", "\u0000\u001f\u007f", "tab\tnl\nret\rff\fbs\b", "</script>", "é€😀"}) {
            assertQuotedAsJackson(odd);
        }
    }

    @Test
    void a_surrogate_without_its_partner_is_refused_as_jackson_refuses_it() {
        assertThrows(IllegalArgumentException.class, () -> new FrameBuffer(8).putJsonString("ok \ud83d z", 0, 6));
        assertThrows(IllegalArgumentException.class, () -> new FrameBuffer(8).putJsonString("\ude00", 0, 1));
    }

    @Test
    void a_viewers_frame_is_the_frame_it_was_with_its_id_line_first() {
        AnswerFeed feed = AnswerFeed.stored();
        feed.appendText("He said \"hi\"\n");
        FrameBuffer into = new FrameBuffer(16);
        feed.next(EventId.START, into);
        String frame = new String(into.toByteArray(), StandardCharsets.UTF_8);
        String t = frame.substring(frame.indexOf("\"t\":") + 4, frame.indexOf('}'));
        byte[] before = new EventId(0, 13).on(SseFrames.token("He said \"hi\"\n", Long.parseLong(t)));
        assertArrayEquals(before, into.toByteArray());
        assertEquals("id: 0.13\nevent: token\ndata: {\"text\":\"He said \\\"hi\\\"\\n\",\"t\":" + t + "}\n\n", frame);
    }

    @Test
    void one_viewer_encodes_every_delta_into_the_same_array_and_allocates_no_frame_per_delta() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AnswerFeed feed = AnswerFeed.stored();
        FrameBuffer into = new FrameBuffer(256);
        EventId at = EventId.START;
        String delta = "#0001 sixteen by";
        feed.appendText(delta);
        at = feed.next(at, into).after();
        byte[] array = into.array();
        int deltas = 2_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < deltas; i++) {
            feed.appendText(delta);
            at = feed.next(at, into).after();
        }
        long perDelta = (threads.getCurrentThreadAllocatedBytes() - before) / deltas;
        assertSame(array, into.array(), "the frame buffer is reused");
        // Left per delta: the feed's own text growing, the position and its Frame (a few dozen bytes, often none once
        // compiled). The frame, its quoted text, the timestamp, the id line and the text's substring took about 350.
        assertTrue(perDelta < 120, perDelta + " bytes allocated per delta");
        assertEquals(new EventId(0, (deltas + 1) * delta.length()), at);
    }

    @Test
    void a_frame_far_larger_than_usual_gives_its_array_back_at_the_next_clear() {
        FrameBuffer into = new FrameBuffer(64);
        char[] many = new char[40_000];
        Arrays.fill(many, 'x');
        into.putJsonString(new String(many), 0, many.length);
        assertEquals(40_000, into.length());
        assertEquals(64, into.clear().array().length);
    }

    private static void assertQuotedAsJackson(String s) {
        byte[] expected = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        FrameBuffer into = new FrameBuffer(4);
        into.put('[').putJsonString("xx" + s + "yy", 2, s.length() + 2);
        assertArrayEquals(expected, Arrays.copyOfRange(into.array(), 1, into.length()), () -> "for " + s.codePoints().limit(8).boxed().toList());
    }
}
