package org.chatrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPriceTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void shipped_prices_are_exact_integers_per_million() {
        PriceTable t = PriceTable.load(json, Optional.empty());
        assertEquals(new ModelPrice(3_000_000, 15_000_000, 300_000), t.find("claude-sonnet-4-5").orElseThrow());
        assertEquals(new ModelPrice(280_000, 420_000, 28_000), t.find("deepseek-v3.2").orElseThrow());
    }

    @Test
    void reasoning_tokens_cost_the_output_price_unless_the_model_prices_them_apart() {
        ModelPrice plain = new ModelPrice(1_000_000, 2_000_000, 1_000_000);
        // completion tokens include the reasoning: 10 in × $1/M + 100 out × $2/M, however many of them reasoned
        assertEquals(210, plain.costMicros(10, 100, 80));
        assertEquals(plain.costMicros(10, 100), plain.costMicros(10, 100, 80));
        ModelPrice apart = new ModelPrice(1_000_000, 2_000_000, 1_000_000, 10_000_000L);
        // 10 × $1/M + 20 answer tokens × $2/M + 80 reasoning tokens × $10/M
        assertEquals(10 + 40 + 800, apart.costMicros(10, 100, 80));
        assertEquals(210, apart.costMicros(10, 100, null), "no reasoning count: all at the output price");
        assertEquals(10 + 1000, apart.costMicros(10, 100, 500), "never more reasoning than output");
    }

    @Test
    void cost_is_integer_micro_dollars_rounded_half_up() {
        ModelPrice sonnet = new ModelPrice(3_000_000, 15_000_000, 300_000);
        // 1,000 in × $3/M + 500 out × $15/M = $0.003 + $0.0075 = 10,500 µ$
        assertEquals(10_500, sonnet.costMicros(1000, 500));
        ModelPrice deepseek = new ModelPrice(280_000, 420_000, 28_000);
        // 12 × 0.28 + 3 × 0.42 = 4.62 µ$ -> 5;  1 × 0.28 = 0.28 -> 0;  2 × 0.28 - no: 0.56 -> 1
        assertEquals(5, deepseek.costMicros(12, 3));
        assertEquals(0, deepseek.costMicros(1, 0));
        assertEquals(1, deepseek.costMicros(2, 0));
        assertEquals(0, deepseek.costMicros(null, null));
        // A million of each: exactly the list prices, $0.70.
        assertEquals(700_000, deepseek.costMicros(1_000_000, 1_000_000));
        // No overflow for very long conversations: 2 billion tokens at $15/M.
        assertEquals(30_000_000_000L, sonnet.costMicros(0, 2_000_000_000));
    }

    @Test
    void a_prices_file_adds_and_overrides_models(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prices.json");
        Files.writeString(f, "{\"deepseek-v3.2\":{\"inputPerMillion\":1,\"outputPerMillion\":2},\"my-model\":{\"inputPerMillion\":0.5,\"outputPerMillion\":1.25}}");
        PriceTable t = PriceTable.load(json, Optional.of(f));
        assertEquals(new ModelPrice(1_000_000, 2_000_000, 1_000_000), t.find("deepseek-v3.2").orElseThrow());
        assertEquals(new ModelPrice(500_000, 1_250_000, 500_000), t.find("my-model").orElseThrow());
        assertTrue(t.find("claude-sonnet-4-5").isPresent());
    }

    @Test
    void a_bad_prices_file_names_the_file_model_and_field(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"m\":{\"inputPerMillion\":-1,\"outputPerMillion\":2}}");
        ConfigException e = assertThrows(ConfigException.class, () -> PriceTable.load(json, Optional.of(f)));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("'m'") && e.getMessage().contains("inputPerMillion"), e.getMessage());
    }
}
