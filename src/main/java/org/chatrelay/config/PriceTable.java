package org.chatrelay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prices per model. The built-in table ({@code chatrelay/prices.json}) ships example prices; a file named by
 * {@code CHATRELAY_PRICES_FILE} adds or overrides models. Prices are given in dollars per million tokens.
 */
public final class PriceTable {
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);
    private final Map<String, ModelPrice> prices;

    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(model == null ? null : prices.get(model));
    }

    public Map<String, ModelPrice> all() {
        return prices;
    }

    /** This table with {@code overrides} (e.g. the providers file's per-model prices) taking precedence. */
    public PriceTable with(Map<String, ModelPrice> overrides) {
        Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
        merged.putAll(overrides);
        return new PriceTable(merged);
    }

    public static PriceTable load(ObjectMapper json, Optional<Path> overrides) {
        Map<String, ModelPrice> table = new LinkedHashMap<>();
        try (InputStream in = PriceTable.class.getResourceAsStream("/chatrelay/prices.json")) {
            parseInto(json.readTree(in), "built-in prices.json", table);
        } catch (IOException e) {
            throw new ConfigException("cannot read the built-in price table: " + e.getMessage());
        }
        if (overrides.isPresent()) {
            Path file = overrides.get();
            try {
                parseInto(json.readTree(Files.readAllBytes(file)), file.toString(), table);
            } catch (IOException e) {
                throw new ConfigException("CHATRELAY_PRICES_FILE " + file + " is not readable JSON: " + e.getMessage());
            }
        }
        return new PriceTable(table);
    }

    static void parseInto(JsonNode root, String source, Map<String, ModelPrice> table) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a JSON object of model name -> prices");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = source + ": model '" + e.getKey() + "'";
            long in = micros(e.getValue(), "inputPerMillion", where, true);
            long out = micros(e.getValue(), "outputPerMillion", where, true);
            long cached = micros(e.getValue(), "cachedInputPerMillion", where, false);
            table.put(e.getKey(), new ModelPrice(in, out, cached < 0 ? in : cached));
        }
    }

    private static long micros(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ConfigException(where + " lacks the field '" + field + "' (dollars per million tokens)");
            }
            return -1;
        }
        if (!v.isNumber() || v.decimalValue().signum() < 0) {
            throw new ConfigException(where + " field '" + field + "' must be a non-negative number, got " + v);
        }
        return v.decimalValue().multiply(MICROS).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }
}
