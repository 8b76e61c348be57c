package org.chatrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final PriceTable prices = PriceTable.load(new ObjectMapper(), Optional.empty());

    @Test
    void the_served_models_keep_their_order_the_first_is_the_default_and_each_has_a_price_hint() {
        ModelCatalog c = ModelCatalog.of(List.of("deepseek-v3.2", "claude-sonnet-4-5", "chatrelay-demo", "my-model"), prices);
        assertEquals("deepseek-v3.2", c.defaultModel());
        assertEquals(List.of("$0.28 / $0.42 per 1M tokens in / out", "$3.00 / $15.00 per 1M tokens in / out", "free", "price unknown"),
                c.models().stream().map(ModelCatalog.Model::priceHint).toList());
        assertTrue(c.contains("my-model"));
        assertFalse(c.contains("gpt-unknown"));
        assertFalse(c.contains(null));
    }

    @Test
    void the_picker_says_which_models_think() {
        ModelCatalog c = ModelCatalog.of(List.of("deepseek-v3.2", "claude-sonnet-4-5"), prices, java.util.Set.of("claude-sonnet-4-5"));
        assertEquals(List.of("deepseek-v3.2 — $0.28 / $0.42 per 1M tokens in / out",
                "claude-sonnet-4-5 — $3.00 / $15.00 per 1M tokens in / out — thinks first"), c.models().stream().map(ModelCatalog.Model::label).toList());
        assertFalse(c.models().get(0).thinks());
        assertTrue(c.models().get(1).thinks());
    }

    @Test
    void an_empty_list_is_a_configuration_error() {
        assertThrows(ConfigException.class, () -> ModelCatalog.of(List.of(), prices));
    }
}
