package org.chatrelay.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.config.PriceTable;
import org.junit.jupiter.api.Test;

class CallReserveTest {
    static final ModelPrice PRICE = new ModelPrice(3_000_000, 15_000_000, 300_000); // $3 / $15 per million
    static final PriceTable PRICES = new PriceTable(Map.of("sonnet", PRICE));

    @Test
    void a_call_reserves_its_prompt_and_its_whole_max_tokens_at_the_models_price() {
        assertEquals(1_000 * 3 + 4_096 * 15, CallReserve.micros(PRICES, "sonnet", 1_000, 4_096));
    }

    @Test
    void no_answer_within_max_tokens_costs_more_than_its_reservation() {
        long reserve = CallReserve.micros(PRICES, "sonnet", 1_234, 777);
        for (int used = 0; used <= 777; used++) {
            assertTrue(PRICE.costMicros(1_234, used) <= reserve, "answer of " + used + " tokens");
        }
    }

    @Test
    void a_model_without_a_price_reserves_nothing() {
        assertEquals(0, CallReserve.micros(PRICES, "unknown-model", 1_000, 1_000));
    }
}
