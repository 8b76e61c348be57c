package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatrelay.http.ApiException;
import org.chatrelay.persistence.Checkpoint;
import org.junit.jupiter.api.Test;

/** What a viewer at some position reads next from an answer's feed, its ids, and when a checkpoint is due. */
class AnswerFeedTest {

    @Test
    void a_viewer_behind_gets_the_missed_reasoning_then_the_missed_text_in_one_event_each_then_the_terminal_event() {
        AnswerFeed feed = AnswerFeed.stored();
        feed.appendReasoning("Let me think.");
        feed.appendText("Hel");
        feed.appendText("lo \ud83d\ude00");
        feed.end("event: done\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));

        FrameBuffer into = new FrameBuffer(16);
        AnswerFeed.Frame r = feed.next(new EventId(4, 0), into);
        assertEquals("id: 13.0\nevent: reasoning\ndata: {\"text\":\"me think.\"}\n\n", string(into));
        AnswerFeed.Frame t = feed.next(r.after(), into);
        assertTrue(string(into).startsWith("id: 13.8\nevent: token\ndata: {\"text\":\"Hello \ud83d\ude00\",\"t\":"), string(into));
        AnswerFeed.Frame end = feed.next(t.after(), into);
        assertEquals("id: 13.8\nevent: done\ndata: {}\n\n", string(into));
        assertTrue(end.last());
        assertFalse(t.last());
    }

    @Test
    void nothing_is_due_for_a_viewer_that_has_everything_until_the_answer_grows_or_ends() {
        AnswerFeed feed = AnswerFeed.stored();
        feed.appendText("abc");
        FrameBuffer into = new FrameBuffer(16);
        assertNull(feed.next(new EventId(0, 3), into));
        // A position ahead of what this node has (a checkpoint behind the client) waits too.
        assertNull(feed.next(new EventId(0, 5), into));
        feed.catchUp("abcdefg", "");
        feed.next(new EventId(0, 5), into);
        assertEquals("fg", text(into));
        assertTrue(feed.reached(new EventId(0, 7)));
        assertFalse(feed.reached(new EventId(0, 8)));
        assertFalse(feed.reached(new EventId(1, 0)));
    }

    @Test
    void a_stored_feed_catches_up_with_the_tail_of_a_newer_read_only() {
        AnswerFeed feed = AnswerFeed.stored();
        feed.catchUp("Hello", "Hmm");
        feed.catchUp("Hello", "Hmm");
        feed.catchUp("Hello world", "Hmm, yes");
        assertEquals("Hello world", feed.text());
        assertEquals("Hmm, yes", feed.reasoning());
    }

    @Test
    void a_checkpoint_is_due_only_when_the_text_grew_since_the_last_one_written() {
        AnswerFeed feed = AnswerFeed.stored();
        assertNull(feed.checkpointDue("m"), "nothing yet");
        feed.appendText("Hi");
        Checkpoint c = feed.checkpointDue("m");
        assertEquals(new Checkpoint("m", "Hi", null), c);
        assertEquals(c, feed.checkpointDue("m"), "still due until written");
        feed.checkpointed(c);
        assertNull(feed.checkpointDue("m"));
        feed.appendReasoning("so");
        assertEquals(new Checkpoint("m", "Hi", "so"), feed.checkpointDue("m"));
    }

    @Test
    void the_owner_hears_when_the_last_viewer_leaves_before_the_end_only() {
        AtomicInteger deserted = new AtomicInteger();
        AnswerFeed feed = new AnswerFeed(deserted::incrementAndGet, () -> {
        });
        assertTrue(feed.keepingUp(10), "no viewer: a detached answer keeps generating");
        feed.remove(null);
        assertEquals(0, deserted.get(), "no viewer left that was there");
    }

    @Test
    void positions_are_two_plain_counts() throws ApiException {
        assertEquals(EventId.START, EventId.parse(null));
        assertEquals(new EventId(12, 345), EventId.parse("12.345"));
        assertEquals("12.345", new EventId(12, 345).toString());
        for (String bad : new String[] {"", "1", "-1.0", "01.0", "1.01", "1.2.3", " 1.2", "1.2 ", "1234567890.0", "a.b"}) {
            ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> EventId.parse(bad), bad);
            assertEquals(400, e.status);
        }
    }

    private static String string(FrameBuffer f) {
        return new String(f.array(), 0, f.length(), StandardCharsets.UTF_8);
    }

    private static String text(FrameBuffer f) {
        String s = string(f);
        int from = s.indexOf("{\"text\":\"") + 9;
        return s.substring(from, s.indexOf('"', from));
    }
}
