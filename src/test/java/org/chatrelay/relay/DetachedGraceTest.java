package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.chatrelay.relay.StopWhileQueuedTest.withRelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.chatrelay.limits.LimitsConfig;
import org.chatrelay.limits.VisitorLimits;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.TestDb;
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

    /** Starts an answer that streams for long, read by {@code post}, and returns it once its POST received a token. */
    private static RelayStream streaming(FakeUpstream upstream, RelayService relay, StopWhileQueuedTest.Browser post) throws Exception {
        return streaming(upstream, relay, post, () -> { });
    }

    private static RelayStream streaming(FakeUpstream upstream, RelayService relay, StopWhileQueuedTest.Browser post,
                                         Runnable onEnded) throws Exception {
        upstream.plan("long", Reply.stream("slow", 1_000, 20));
        relay.startQuestion(post.request(), "v1", null, "a long answer [plan:long]", "gated", onEnded);
        await(() -> post.text().contains("event: token"), "the answer streams to its POST");
        return relay.registry().snapshot().get(0);
    }

    /**
     * Review finding 5: a resume is attached, and while its viewer joins the feed the POST's browser leaves (the last
     * other viewer). The answer must not count as detached under the resume's live viewer when the grace is over.
     */
    @Test
    void a_resume_that_joins_while_the_last_other_viewer_leaves_keeps_the_answer_past_the_grace() throws Exception {
        withRelay("resume-joins-as-post-leaves", GRACE_A_MINUTE, off -> off, (upstream, router, relay) -> {
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            RelayStream answer = streaming(upstream, relay, post);

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
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            RelayStream answer = streaming(upstream, relay, post);
            post.leave();
            assertEquals(0, answer.feed().viewers());
            assertFalse(answer.ended(), "the answer ended within its grace");

            answer.tick(pastTheGrace(), HEARTBEAT);
            assertTrue(answer.ended(), "the abandoned answer goes on after its grace");
            assertTrue(upstream.awaitAborted(0, 10_000), "the provider request was not cancelled");
        });
    }

    /**
     * Review finding 1: the ticker serves every answer of the node, so the end of a grace must not read the database on
     * it (a slow pool would hold every answer's heartbeats and timers). The viewed stamps are read on the checkpoint
     * thread; here the database refuses every connection and counts the asks.
     */
    @Test
    void the_end_of_a_grace_asks_the_database_nothing_on_the_ticker() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        DataSource refusing = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, method, args) -> {
                    asked.incrementAndGet();
                    throw new SQLException("the pool is exhausted");
                });
        withRelay("grace-asks-nothing", GRACE_A_MINUTE, off -> off, new CheckpointRepository(refusing), (upstream, router, relay) -> {
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            RelayStream answer = streaming(upstream, relay, post);
            post.leave();
            answer.tick(pastTheGrace(), HEARTBEAT);
            assertEquals(0, asked.get(), "the tick asked the database for a connection");
            assertTrue(answer.ended(), "the abandoned answer goes on after its grace");
        });
    }

    /** The checkpoint thread's one read of the stamps keeps an answer watched on another node, as the tick then sees. */
    @Test
    void an_answer_stamped_by_a_viewer_on_another_node_is_kept_until_the_stamp_is_older_than_the_grace() throws Exception {
        Database db = TestDb.open();
        try {
            CheckpointRepository rows = new CheckpointRepository(db.dataSource());
            withRelay("viewed-elsewhere", GRACE_A_MINUTE, off -> off, rows, (upstream, router, relay) -> {
                StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
                RelayStream answer = streaming(upstream, relay, post);
                new AnswerRepository(db.dataSource()).begin(new AnswerStart(null, "v1", "a long answer", "a long answer", "gated",
                        null, "gated", "node-a", Instant.now()), answer.answer().ids());
                post.leave();
                long left = System.nanoTime();
                String id = answer.answer().ids().assistantMessageId();
                // Stamped as if half a grace after the POST left: no clock of this test's speed decides the outcome.
                TestDb.update(db, "UPDATE message SET viewed_at = ? WHERE id = ?",
                        OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(30), id);
                relay.readViews();

                long graceOver = left + Duration.ofSeconds(60).toNanos();
                answer.tick(graceOver, HEARTBEAT);
                assertFalse(answer.ended(), "an answer watched on another node ended after its grace");
                answer.tick(graceOver + Duration.ofSeconds(61).toNanos(), HEARTBEAT);
                assertTrue(answer.ended(), "the answer outlived a stamp older than its grace");
            });
        } finally {
            TestDb.close(db);
        }
    }

    /**
     * Review finding 2: the visitor's stream slot is held by the answer, not by its POST's request. The browser leaves
     * with an error dispatch (an h2 reset), after which the container completes the POST; the detached answer goes on
     * generating, so it still holds the slot until it ends.
     */
    @Test
    void a_detached_answer_holds_the_visitors_stream_slot_after_the_container_completed_its_post() throws Exception {
        VisitorLimits limits = new VisitorLimits(new LimitsConfig(0, 0, 1, 0), (visitor, since) -> 0L, Clock.systemUTC());
        withRelay("slot-held-by-the-answer", GRACE_A_MINUTE, off -> off, (upstream, router, relay) -> {
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            RelayStream answer;
            try (VisitorLimits.Admission admission = limits.admit("v1", "192.0.2.1")) {
                answer = streaming(upstream, relay, post, admission::answerEnded);
                admission.handedOver();
            }
            post.leave();
            assertFalse(answer.ended(), "the answer ended within its grace");
            assertEquals(1, limits.openStreams("v1"), "the detached answer gave its stream slot back while it generates");
            answer.stopByUser();
            await(() -> limits.openStreams("v1") == 0, "the slot given back when the answer ended");
        });
    }

    /**
     * Review finding 17: while a thinking model's reasoning streams, its viewers are written to anyway, so a tick owes
     * them no heartbeat (before, every tick before the first text token sent one: the reasoning did not count). With a
     * grace the browser's leaving need not be noticed at once either.
     */
    @Test
    void a_tick_while_reasoning_streams_sends_no_heartbeat() throws Exception {
        withRelay("reasoning-no-heartbeat", GRACE_A_MINUTE, off -> off, (upstream, router, relay) -> {
            upstream.plan("thinking", Reply.stream("thinkforever", 0, 20));
            StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
            relay.startQuestion(post.request(), "v1", null, "think [plan:thinking]", "gated", () -> { });
            await(() -> post.text().contains("event: reasoning"), "the reasoning streams to the POST");
            RelayStream answer = relay.registry().snapshot().get(0);
            answer.tick(System.nanoTime(), HEARTBEAT);
            answer.tick(System.nanoTime(), HEARTBEAT);
            assertTrue(answer.feed().textEmpty(), "the model answered already");
            assertFalse(post.text().contains(new String(SseFrames.HEARTBEAT, java.nio.charset.StandardCharsets.US_ASCII)), post.text());
        });
    }
}
