package org.chatrelay.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.chatrelay.config.Dialect;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.config.ModelReasoning;
import org.chatrelay.gateway.limits.CallReserve.Reach;
import org.junit.jupiter.api.Test;

class CallReserveTest {
    static final ModelPrice PRICE = new ModelPrice(3_000_000, 15_000_000, 300_000); // $3 / $15 per million
    /** The same model at another provider, whose providers file entry prices reasoning apart: $60 per million. */
    static final ModelPrice REASONING_DEARER = new ModelPrice(1_000_000, 4_000_000, 100_000, 60_000_000L);

    static Reach openAi(ModelPrice price, int maxTokens) {
        return new Reach(Dialect.OPENAI, Optional.ofNullable(price), maxTokens, ModelReasoning.NONE);
    }

    @Test
    void a_call_reserves_its_prompt_and_its_whole_max_tokens_at_the_models_price() {
        assertEquals(1_000 * 3 + 4_096 * 15, CallReserve.of(List.of(openAi(PRICE, 8_000)), 1_000, OptionalInt.of(4_096)).micros());
    }

    @Test
    void no_answer_within_max_tokens_costs_more_than_its_reservation() {
        long reserve = CallReserve.of(List.of(openAi(PRICE, 8_000)), 1_234, OptionalInt.of(777)).micros();
        for (int used = 0; used <= 777; used++) {
            assertTrue(PRICE.costMicros(1_234, used) <= reserve, "answer of " + used + " tokens");
        }
    }

    @Test
    void reasoning_dearer_than_output_is_reserved_at_the_reasoning_price_for_every_output_token() {
        long reserve = CallReserve.of(List.of(openAi(REASONING_DEARER, 8_000)), 500, OptionalInt.of(2_000)).micros();

        assertEquals(500 * 1 + 2_000 * 60, reserve);
        // Whatever share of the output the model spends thinking, the recorder's cost stays within the reservation.
        for (int reasoning = 0; reasoning <= 2_000; reasoning += 50) {
            assertTrue(REASONING_DEARER.costMicros(500, 2_000, reasoning) <= reserve, reasoning + " reasoning tokens");
        }
    }

    @Test
    void reasoning_cheaper_than_output_leaves_the_output_price_as_the_worst_case() {
        ModelPrice cheapThinking = new ModelPrice(1_000_000, 4_000_000, 100_000, 2_000_000L);
        assertEquals(500 + 2_000 * 4, CallReserve.of(List.of(openAi(cheapThinking, 8_000)), 500, OptionalInt.of(2_000)).micros());
    }

    @Test
    void the_dearest_provider_of_the_route_sets_the_reservation_at_its_own_price() {
        // The canary or a fallback may answer: each is charged at its own price, so the call reserves the dearest.
        Reach cheap = openAi(new ModelPrice(100_000, 200_000, 100_000), 8_000);
        Reach dear = new Reach(Dialect.OPENAI, Optional.of(REASONING_DEARER), 8_000, ModelReasoning.NONE);
        Reach unpriced = openAi(null, 8_000);

        long reserve = CallReserve.of(List.of(cheap, unpriced, dear), 1_000, OptionalInt.of(1_000)).micros();

        assertEquals(1_000 * 1 + 1_000 * 60, reserve);
    }

    @Test
    void a_call_without_max_tokens_reserves_the_cap_sent_to_openai_providers_the_largest_of_their_limits() {
        CallReserve r = CallReserve.of(List.of(openAi(PRICE, 2_048), openAi(null, 6_000)), 100, OptionalInt.empty());

        assertEquals(6_000, r.capTokens());
        assertEquals("max_tokens", r.capMember());
        assertEquals(100 * 3 + 6_000 * 15, r.micros());
    }

    @Test
    void the_cap_is_max_completion_tokens_where_an_openai_model_is_asked_for_a_reasoning_effort() {
        Reach reasoner = new Reach(Dialect.OPENAI, Optional.of(PRICE), 4_096, new ModelReasoning(0, "high"));

        assertEquals("max_completion_tokens", CallReserve.of(List.of(reasoner), 100, OptionalInt.empty()).capMember());
    }

    @Test
    void an_anthropic_provider_without_the_clients_max_tokens_reserves_its_limit_plus_its_thinking_budget() {
        // What AnthropicDialect.body sends as max_tokens: the answer keeps its own limit on top of the thinking budget.
        Reach thinking = new Reach(Dialect.ANTHROPIC, Optional.of(PRICE), 4_096, new ModelReasoning(2_000, null));

        assertEquals(100 * 3 + (4_096 + 2_000) * 15, CallReserve.of(List.of(thinking), 100, OptionalInt.empty()).micros());
        assertEquals(100 * 3 + 300 * 15, CallReserve.of(List.of(thinking), 100, OptionalInt.of(300)).micros());
    }

    @Test
    void a_model_without_a_price_reserves_nothing() {
        assertEquals(0, CallReserve.of(List.of(openAi(null, 4_096)), 1_000, OptionalInt.of(1_000)).micros());
    }
}
