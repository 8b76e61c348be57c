package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.gateway.wire.AnthropicDelivery;
import org.chatrelay.gateway.wire.OpenAiDelivery;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.persistence.GatewayFacts;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.routing.ProviderGate;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Reply;
import org.chatrelay.upstream.ChatMessage;
import org.junit.jupiter.api.Test;

/**
 * A new question's rows are stored while it already goes upstream (issue 18 item 3): the relay's own service, router and
 * upstream client against a real fake provider ({@link StopWhileQueuedTest#withRelay}), with an answer store whose
 * opening insert is held until the test has seen what must happen meanwhile — no sleeps, so the order is asserted, not
 * a timing. Without the overlap the held insert waits in vain, before anything went upstream.
 */
class StoredWhileUpstreamTest {

    /** The insert of a new question's rows: {@code insert} runs in it (on the relay's opener thread); finishes counted. */
    static final class HeldStore implements AnswerStore {
        private final AnswerStore off;
        private final Runnable insert;
        final AtomicInteger finished = new AtomicInteger();

        HeldStore(AnswerStore off, Runnable insert) {
            this.off = off;
            this.insert = insert;
        }

        @Override
        public AnswerIds begin(AnswerStart start) {
            return off.begin(start);
        }

        @Override
        public void begin(AnswerStart start, AnswerIds ids) {
            insert.run();
        }

        @Override
        public List<Message> history(AnswerIds ids, AnswerStart start) {
            return off.history(ids, start);
        }

        @Override
        public void finish(AnswerEnd end) {
            finished.incrementAndGet();
        }
    }

    /**
     * The answer went upstream and has ended: its plan's request reached the provider (so the relay had registered it:
     * it registers before it sends) and the relay holds no live answer. "No live answer" alone is also true before the
     * answer is registered, which the insert, started first on its own thread, can see.
     */
    static boolean endedAfterAsking(AtomicReference<RelayService> relay, AtomicReference<FakeUpstream> upstream, String plan) {
        return upstream.get() != null && upstream.get().requestsFor(plan) == 1 && relay.get().activeStreams() == 0;
    }

    static void awaitUnchecked(BooleanSupplier condition, String what) {
        try {
            await(condition, what);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code start} (a quick answer: "Hello world") on a relay whose insert is held until the provider's text reached
     * the relay, then waits for the answer's end; returns what the client had been sent while the insert was held.
     */
    private static String heldUntilProviderText(String dir, StopWhileQueuedTest.Browser client, AtomicReference<HeldStore> held,
                                                Consumer<RelayService> start) throws Exception {
        AtomicReference<RelayService> relayRef = new AtomicReference<>();
        AtomicReference<String> whileStoring = new AtomicReference<>();
        StopWhileQueuedTest.withRelay(dir, off -> {
            held.set(new HeldStore(off, () -> {
                awaitUnchecked(() -> relayRef.get().registry().snapshot().stream().anyMatch(s -> s.feed().text().contains("Hello")),
                        "the provider's text reached the relay while the answer's rows were being stored");
                whileStoring.set(client.text());
            }));
            return held.get();
        }, (upstream, router, relay) -> {
            relayRef.set(relay);
            upstream.plan("quick", Reply.ok());
            start.accept(relay);
            await(() -> client.completed, "the answer's end");
        });
        return whileStoring.get();
    }

    @Test
    void a_new_question_goes_upstream_before_its_rows_are_stored_and_its_start_waits_for_them() throws Exception {
        StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
        AtomicReference<HeldStore> held = new AtomicReference<>();
        String whileStoring = heldUntilProviderText("stored-while-upstream", browser, held,
                relay -> relay.startQuestion(browser.request(), "v1", null, "a quick answer [plan:quick]", "gated", () -> { }));
        assertEquals("", whileStoring, "the browser's stream began before the question was stored");
        String text = browser.text();
        assertTrue(text.contains("event: start") && text.indexOf("event: start") < text.indexOf("Hello"), text);
        assertTrue(text.indexOf("Hello") < text.indexOf("event: done"), text);
        assertEquals(1, held.get().finished.get(), "the answer's end was not recorded once");
    }

    /**
     * The provider refuses while the insert is held: the answer ends before its rows exist, and its end may be recorded
     * only after them (a usage row cannot be finished before it is inserted). The insert watches for a premature
     * recording for a second after the end; with the deferral none can come, so the pass does not depend on the time.
     */
    @Test
    void an_answer_that_ends_before_its_rows_are_stored_is_recorded_after_them() throws Exception {
        AtomicReference<RelayService> relayRef = new AtomicReference<>();
        AtomicReference<FakeUpstream> upstreamRef = new AtomicReference<>();
        AtomicInteger finishedWhileStoring = new AtomicInteger(-1);
        StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
        AtomicReference<HeldStore> held = new AtomicReference<>();
        StopWhileQueuedTest.withRelay("ended-while-storing", off -> {
            held.set(new HeldStore(off, () -> {
                awaitUnchecked(() -> endedAfterAsking(relayRef, upstreamRef, "refused"), "the answer ended while its rows were being stored");
                long until = System.nanoTime() + 1_000_000_000L;
                while (held.get().finished.get() == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                finishedWhileStoring.set(held.get().finished.get());
            }));
            return held.get();
        }, (upstream, router, relay) -> {
            relayRef.set(relay);
            upstreamRef.set(upstream);
            upstream.plan("refused", Reply.status(500));
            relay.startQuestion(browser.request(), "v1", null, "refused [plan:refused]", "gated", () -> { });
            await(() -> browser.completed, "the answer's error");
            assertEquals(0, finishedWhileStoring.get(), "the end was recorded before the answer's rows were stored");
            await(() -> held.get().finished.get() == 1, "the end recorded once the rows were stored");
            assertTrue(browser.status >= 500, "status " + browser.status);
            assertTrue(browser.text().contains("\"error\""), browser.text());
        });
    }

    /**
     * The browser leaves while the insert is held: the container's error dispatch ends the answer (no grace) and
     * completes the POST, so the stream that waited for the rows can no longer begin (the container refuses a listener).
     * Its end must be recorded all the same: the usage row would otherwise stay 'streaming' and the tokens be lost.
     */
    @Test
    void an_end_that_waited_for_the_rows_is_recorded_when_the_container_completed_the_post_meanwhile() throws Exception {
        AtomicReference<RelayService> relayRef = new AtomicReference<>();
        StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
        AtomicReference<HeldStore> held = new AtomicReference<>();
        StopWhileQueuedTest.withRelay("gone-while-storing", Map.of("CHATRELAY_DETACHED_GRACE_MS", "0"), off -> {
            held.set(new HeldStore(off, () -> {
                awaitUnchecked(() -> relayRef.get().registry().snapshot().stream().anyMatch(s -> !s.feed().textEmpty()),
                        "the provider's text reached the relay while the question's rows were being stored");
                RelayStream answer = relayRef.get().registry().snapshot().get(0);
                answer.onError(new AsyncEvent(StopWhileQueuedTest.proxy(AsyncContext.class, (name, args) -> null),
                        new IOException("the browser reset the stream")));
                browser.completedByContainer = true;
            }));
            return held.get();
        }, (upstream, router, relay) -> {
            relayRef.set(relay);
            upstream.plan("long", Reply.stream("slow", 1_000, 20));
            relay.startQuestion(browser.request(), "v1", null, "gone [plan:long]", "gated", () -> { });
            await(() -> held.get().finished.get() == 1, "the answer's end recorded once its rows were stored");
            assertEquals(0, relay.activeStreams(), "the answer is still live");
            assertTrue(upstream.awaitAborted(0, 10_000), "the provider request was not cancelled");
        });
    }

    /**
     * Review finding 4: the provider finished the answer while its insert was held, then the insert failed. Nothing can
     * be stored, but the provider billed it: its numbers are logged and counted (the observer is what the metrics
     * read), with the end the provider gave it.
     */
    @Test
    void an_answer_that_ended_upstream_before_its_insert_failed_is_still_counted() throws Exception {
        AtomicReference<RelayService> relayRef = new AtomicReference<>();
        AtomicReference<FakeUpstream> upstreamRef = new AtomicReference<>();
        List<AnswerSummary> observed = new CopyOnWriteArrayList<>();
        StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
        StopWhileQueuedTest.withRelay("ended-then-insert-failed", off -> new HeldStore(off, () -> {
            awaitUnchecked(() -> endedAfterAsking(relayRef, upstreamRef, "quick"), "the answer ended upstream while its rows were being stored");
            throw new PersistenceException("cannot begin an answer in a new conversation");
        }), (upstream, router, relay) -> {
            relayRef.set(relay);
            upstreamRef.set(upstream);
            relay.observe(observed::add);
            upstream.plan("quick", Reply.ok());
            relay.startQuestion(browser.request(), "v1", null, "a quick answer [plan:quick]", "gated", () -> { });
            await(() -> browser.completed, "the refusal");
            assertEquals(503, browser.status);
            await(() -> observed.size() == 1, "the unstored answer counted");
            AnswerSummary a = observed.get(0);
            assertEquals(EndReason.COMPLETED, a.endReason(), "the end the provider gave it");
            assertTrue(a.completionTokens() != null && a.completionTokens() > 0, "tokens " + a.completionTokens());
        });
    }

    /**
     * Runs {@code start} (an answer that streams until cancelled) on a relay whose insert fails once the provider was
     * asked, waits for the refusal, then checks what every refusal must hold: the provider request cancelled, its place
     * back, nothing live and nothing recorded. Returns the client's status.
     */
    private static int refusedAfterFailedInsert(String dir, StopWhileQueuedTest.Browser client, Consumer<RelayService> start)
            throws Exception {
        AtomicReference<FakeUpstream> upstreamRef = new AtomicReference<>();
        AtomicReference<HeldStore> held = new AtomicReference<>();
        StopWhileQueuedTest.withRelay(dir, off -> {
            held.set(new HeldStore(off, () -> {
                awaitUnchecked(() -> upstreamRef.get().requestsFor("forever") == 1, "the provider was asked while the insert ran");
                throw new PersistenceException("cannot begin an answer in a new conversation");
            }));
            return held.get();
        }, (upstream, router, relay) -> {
            upstreamRef.set(upstream);
            upstream.plan("forever", Reply.stream("forever", 0, 50));
            ProviderGate gate = router.providers().get(0).gate();
            start.accept(relay);
            await(() -> client.completed, "the refusal");
            assertTrue(upstream.awaitAborted(0, 10_000), "the provider request was not cancelled");
            await(() -> gate.active() == 0, "the provider's place went back");
            assertFalse(client.text().contains("event:"), client.text());
            assertEquals(0, relay.activeStreams(), "the refused answer is still live");
            assertEquals(0, held.get().finished.get(), "a refused answer was recorded");
        });
        return client.status;
    }

    @Test
    void a_failed_insert_aborts_the_provider_request_gives_its_place_back_and_answers_503_recording_nothing() throws Exception {
        StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
        AtomicInteger ended = new AtomicInteger();
        int status = refusedAfterFailedInsert("insert-fails", browser,
                relay -> relay.startQuestion(browser.request(), "v1", null, "never stored [plan:forever]", "gated", ended::incrementAndGet));
        assertEquals(503, status);
        assertEquals(1, ended.get(), "the refused answer kept the visitor's stream slot");
        assertTrue(browser.text().contains("\"code\":\"storage_unavailable\""), browser.text());
    }

    /** A gateway call's options: the relay's own request, its text stored, the key's claim counted when given back. */
    private static CallOptions call(AtomicInteger claimsBack) {
        return new CallOptions(d -> Map.of(), d -> null, true, claimsBack::incrementAndGet);
    }

    private static void startCall(RelayService relay, StopWhileQueuedTest.Browser browser, String question, String dialect,
                                  Delivery delivery, AtomicInteger claimsBack) {
        relay.startCall(browser.request(), new GatewayFacts("k1", null, dialect, true), "k1", "gated",
                List.of(new ChatMessage("user", question)), call(claimsBack), delivery);
    }

    /** A gateway call's prompt is in its request: its rows are stored while it goes upstream, as a first question's are. */
    @Test
    void a_gateway_call_goes_upstream_before_its_rows_are_stored_and_its_first_chunk_waits_for_them() throws Exception {
        AtomicInteger claimsBack = new AtomicInteger();
        StopWhileQueuedTest.Browser client = new StopWhileQueuedTest.Browser();
        AtomicReference<HeldStore> held = new AtomicReference<>();
        String whileStoring = heldUntilProviderText("call-stored-while-upstream", client, held,
                relay -> startCall(relay, client, "a quick answer [plan:quick]", "openai",
                        new OpenAiDelivery(new ObjectMapper(), true, false, "gated", false), claimsBack));
        assertEquals("", whileStoring, "the client's stream began before the call was stored");
        String text = client.text();
        assertTrue(text.startsWith("data: {") && text.contains("{\"content\":\"Hel\"}") && text.endsWith("data: [DONE]\n\n"), text);
        assertEquals(200, client.status);
        assertEquals(1, held.get().finished.get(), "the call's end was not recorded once");
        assertEquals(1, claimsBack.get(), "the key's claim was not given back once");
    }

    @Test
    void a_gateway_call_whose_insert_fails_is_refused_in_its_dialect_its_request_aborted_and_its_claim_given_back() throws Exception {
        StopWhileQueuedTest.Browser client = new StopWhileQueuedTest.Browser();
        AtomicInteger claimsBack = new AtomicInteger();
        int status = refusedAfterFailedInsert("call-insert-fails", client,
                relay -> startCall(relay, client, "never stored [plan:forever]", "anthropic",
                        new AnthropicDelivery(new ObjectMapper(), true, "gated", false), claimsBack));
        // Anthropic's status and body for an overloaded service: what its SDK retries.
        assertEquals(529, status);
        String text = client.text();
        assertTrue(text.startsWith("{\"type\":\"error\"") && text.contains("\"overloaded_error\""), text);
        assertEquals(1, claimsBack.get(), "the key's claim was not given back");
    }
}
