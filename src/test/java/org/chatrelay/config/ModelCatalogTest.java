package org.chatrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final PriceTable prices = PriceTable.load(new ObjectMapper(), Optional.empty());

    @Test
    void a_real_upstream_offers_its_model_first_then_the_priced_ones_but_never_the_demo() {
        ModelCatalog c = ModelCatalog.singleUpstream("deepseek-v3.2", false, "chatrelay-demo", prices);
        assertEquals(List.of("deepseek-v3.2", "claude-sonnet-4-5"), c.models().stream().map(ModelCatalog.Model::id).toList());
        assertEquals("deepseek-v3.2", c.defaultModel());
        assertEquals("$0.28 / $0.42 per 1M tokens in / out", c.models().get(0).priceHint());
        assertEquals("$3.00 / $15.00 per 1M tokens in / out", c.models().get(1).priceHint());
        assertFalse(c.contains("chatrelay-demo"));
        assertFalse(c.contains(null));
    }

    @Test
    void the_demo_offers_only_itself_and_an_unpriced_model_says_so() {
        assertEquals("free", ModelCatalog.singleUpstream("chatrelay-demo", true, "chatrelay-demo", prices).models().get(0).priceHint());
        ModelCatalog custom = ModelCatalog.singleUpstream("my-model", false, "chatrelay-demo", prices);
        assertEquals("price unknown", custom.models().get(0).priceHint());
        assertTrue(custom.contains("my-model"));
    }
}
