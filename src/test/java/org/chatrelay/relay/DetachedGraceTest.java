package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.chatrelay.relay.StopWhileQueuedTest.withRelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import java.time.Duration;
import java.util.Map;
import org.chatrelay.testing.Reply;
import org.junit.jupiter.api.Test;

/**
 * A chat answer's detach and grace (docs/api.md, "Resuming an answer") with the relay's own service, router and upstream
 * client against a real fake provider ({@link StopWhileQueuedTest#withRelay}). The grace is a minute, so the relay's
 * own ticker never ends it: the test ticks the answer itself with a clock past the grace, so no timing decides a pass.
 */
class DetachedGraceTest {
    private static final Map<String, String> GRACE_A_MINUTE = Map.of("CHATRELAY_DETACHED_GRACE_MS", "60000");
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static long pastTheGrace() {
        return System.nanoTime() + Duration.ofSeconds(61).toNanos();
    }

    /**
     * Review finding 5: a resume is attached, and while its viewer joins the feed the POST's browser leaves (the last
     * other viewer). The answer must not count as detached under the resume's live viewer when the grace is over.
     */
    @Test
    void a_resume_that_joins_while_the_last_other_viewer_leaves_keeps_the_answer_past_the_grace() throws Exception {
        withRelay("resume-joins-as-post-leaves", GRACE_A_MINUTE, off -> off, (upstream, router, relay) -> {
            upstream.plan("long", Reply.stream("slow", 1_000, 20));
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            relay.startAnswer(post.request(), "v1", null, "a long answer [plan:long]", "gated", relay::begin);
            await(() -> post.text().contains("event: token"), "the answer streams to its POST");
            RelayStream answer = relay.registry().snapshot().get(0);

            StopWhileQueuedTest.Browser resume = new StopWhileQueuedTest.Browser();
            AsyncContext async = resume.request().startAsync();
            resume.onAddListener = post::leave;
            answer.attach(FeedViewer.resume(answer.feed(), async, EventId.START));
            assertEquals(1, answer.feed().viewers(), "the resume's viewer joined, the POST's left");

            answer.tick(pastTheGrace(), HEARTBEAT);
            assertFalse(answer.ended(), "the answer ended as abandoned while a resume on this node reads it");
            int before = resume.text().length();
            await(() -> resume.text().length() > before, "the resume still receives the answer");
        });
    }

    /** The other side of the same check: with nobody reading after the grace, the answer ends as client_gone. */
    @Test
    void an_answer_nobody_reads_ends_client_gone_when_its_grace_is_over() throws Exception {
        withRelay("nobody-reads", GRACE_A_MINUTE, off -> off, (upstream, router, relay) -> {
            upstream.plan("long", Reply.stream("slow", 1_000, 20));
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            relay.startAnswer(post.request(), "v1", null, "a long answer [plan:long]", "gated", relay::begin);
            await(() -> post.text().contains("event: token"), "the answer streams to its POST");
            RelayStream answer = relay.registry().snapshot().get(0);
            post.leave();
            assertEquals(0, answer.feed().viewers());
            assertFalse(answer.ended(), "the answer ended within its grace");

            answer.tick(pastTheGrace(), HEARTBEAT);
            assertTrue(answer.ended(), "the abandoned answer goes on after its grace");
            assertTrue(upstream.awaitAborted(0, 10_000), "the provider request was not cancelled");
        });
    }
}
