package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.routing.Route;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.ChatMessage;
import org.junit.jupiter.api.Test;

/** An ended answer's tokens, cost and flags, as the usage row and the terminal event get them. */
class UsageAccountingTest {
    private static final TokenEstimator ESTIMATOR = new TokenEstimator();
    /** $1 per million tokens in, $2 out: one token in costs 1 micro-dollar, one out 2. */
    private static final ModelPrice TABLE_PRICE = new ModelPrice(1_000_000, 2_000_000, 0);
    private static final List<ChatMessage> PROMPT = List.of(new ChatMessage("user", "What is the capital of France?"));
    private final UsageAccounting usage = new UsageAccounting(ESTIMATOR, new PriceTable(Map.of("m", TABLE_PRICE)));

    private static AnswerRequest request(boolean storeContent) {
        return new AnswerRequest(new AnswerIds("c1", "u1", "a1", "usage1"), "v1", new Route("m", "main", List.of()), PROMPT, "r1",
                new CallOptions(d -> Map.of(), d -> null, storeContent, () -> { }));
    }

    private static Outcome outcome(EndReason reason, String text, Integer prompt, Integer completion, boolean streamOpen,
                                   Optional<ModelPrice> providerPrice, String flags, Outcome.Thinking thinking) {
        return new Outcome(reason, null, null, 200, Optional.empty(), text, "stop", "m-2025", prompt, completion, 100, 900, null,
                streamOpen, flags, "p1", providerPrice, List.of(), thinking);
    }

    private static Outcome.Thinking noThinking() {
        return new Outcome.Thinking("", null, null, null);
    }

    private UsageAccounting.Accounted account(AnswerRequest r, Outcome o) {
        return usage.account(r, o, new AnswerClock(System.nanoTime()));
    }

    @Test
    void the_provider_s_tokens_are_kept_and_priced_at_the_provider_s_own_price_first() {
        ModelPrice own = new ModelPrice(10_000_000, 20_000_000, 0);
        var a = account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, 3, true, Optional.of(own), null, noThinking()));
        assertEquals(12, a.end().promptTokens());
        assertEquals(3, a.end().completionTokens());
        assertEquals("provider", a.end().usageSource());
        assertEquals(12 * 10 + 3 * 20, a.end().costMicros());
        assertEquals("completed", a.end().endReason());
        assertEquals("Paris.", a.end().content());
        assertEquals(a.end().costMicros(), a.record().costMicros());
        assertEquals("provider", a.record().usageSource());
        assertTrue(a.record().stored());
        assertFalse(a.end().noDone());
    }

    @Test
    void without_the_provider_s_counts_the_tokens_are_estimated_flagged_and_priced_from_the_table() {
        String text = "The capital of France is Paris.";
        var a = account(request(true), outcome(EndReason.USER_STOP, text, null, null, true, Optional.empty(), null, noThinking()));
        int prompt = ESTIMATOR.countPrompt(PROMPT);
        int completion = ESTIMATOR.count(text);
        assertEquals(prompt, a.end().promptTokens());
        assertEquals(completion, a.end().completionTokens());
        assertEquals("estimated", a.end().usageSource());
        assertEquals(Long.valueOf(prompt + 2L * completion), a.end().costMicros());
    }

    @Test
    void one_half_missing_is_estimated_and_the_whole_is_flagged_estimated() {
        var a = account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, null, true, Optional.empty(), null, noThinking()));
        assertEquals(12, a.end().promptTokens());
        assertEquals(ESTIMATOR.count("Paris."), a.end().completionTokens());
        assertEquals("estimated", a.end().usageSource());
    }

    @Test
    void a_request_refused_before_any_stream_costs_nothing_and_says_none() {
        var a = account(request(true), outcome(EndReason.UPSTREAM_ERROR, "", null, null, false, Optional.empty(), null, noThinking()));
        assertEquals(0, a.end().promptTokens());
        assertEquals(0, a.end().completionTokens());
        assertEquals("none", a.end().usageSource());
        assertEquals(0L, a.end().costMicros());
    }

    @Test
    void a_model_no_price_knows_has_no_cost() {
        UsageAccounting unpriced = new UsageAccounting(ESTIMATOR, new PriceTable(Map.of()));
        var a = unpriced.account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, 3, true, Optional.empty(), null, noThinking()),
                new AnswerClock(System.nanoTime()));
        assertNull(a.end().costMicros());
        assertNull(a.record().costMicros());
    }

    @Test
    void estimated_reasoning_counts_in_the_output_and_never_exceeds_what_the_answer_leaves() {
        String thought = "Let me think about the capitals of Europe for a moment.";
        var estimated = account(request(true), outcome(EndReason.COMPLETED, "Paris.", null, null, true, Optional.empty(), null,
                new Outcome.Thinking(thought, 10, 50, null)));
        assertEquals(ESTIMATOR.count("Paris.") + ESTIMATOR.count(thought), estimated.end().completionTokens());
        assertEquals(ESTIMATOR.count(thought), estimated.end().thinking().reasoningTokens());
        assertEquals("estimated", estimated.end().thinking().reasoningSource());
        // The provider counted 4 output tokens in all: the reasoning gets what the answer's own leave, no more.
        var capped = account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, 4, true, Optional.empty(), null,
                new Outcome.Thinking(thought, 10, 50, null)));
        assertEquals(Math.max(0, 4 - ESTIMATOR.count("Paris.")), capped.end().thinking().reasoningTokens());
        var reported = account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, 40, true, Optional.empty(), null,
                new Outcome.Thinking(thought, 10, 50, 30)));
        assertEquals(30, reported.record().reasoningTokens());
        assertEquals("provider", reported.record().reasoningSource());
    }

    @Test
    void a_call_that_stores_no_content_keeps_the_figures_but_not_the_text() {
        var a = account(request(false), outcome(EndReason.COMPLETED, "Paris.", 12, 40, true, Optional.empty(), null,
                new Outcome.Thinking("secret thoughts", 10, 50, 30)));
        assertEquals("", a.end().content());
        assertEquals("", a.end().thinking().reasoning());
        assertEquals(30, a.end().thinking().reasoningTokens());
        assertEquals(40, a.end().completionTokens());
    }

    @Test
    void a_stream_that_closed_without_its_terminator_is_flagged() {
        var a = account(request(true), outcome(EndReason.COMPLETED, "Paris.", 12, 3, true, Optional.empty(), Outcome.NO_DONE, noThinking()));
        assertTrue(a.end().noDone());
    }
}
