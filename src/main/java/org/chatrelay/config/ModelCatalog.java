package org.chatrelay.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The models a visitor may pick, in the order the picker shows them, each with a price hint. This is the one
 * allowlist: a model id not in it is refused before anything is stored or sent upstream.
 *
 * <p>Fed by the router ({@code RelayService.models()}): the providers file is the one place that lists models.
 */
public final class ModelCatalog {

    /**
     * One entry of the picker. Prices are micro-dollars per million tokens; null when the price table has none.
     *
     * @param thinks a provider is configured to make it reason before it answers
     */
    public record Model(String id, Long inputMicrosPerMillion, Long outputMicrosPerMillion, boolean thinks) {

        public Model(String id, Long inputMicrosPerMillion, Long outputMicrosPerMillion) {
            this(id, inputMicrosPerMillion, outputMicrosPerMillion, false);
        }

        /** The picker's label: the id, the price hint, and whether it thinks first. */
        public String label() {
            return id + " — " + priceHint() + (thinks ? " — thinks first" : "");
        }

        /** "$0.28 / $0.42 per 1M tokens", "free", or "price unknown". */
        public String priceHint() {
            if (inputMicrosPerMillion == null || outputMicrosPerMillion == null) {
                return "price unknown";
            }
            if (inputMicrosPerMillion == 0 && outputMicrosPerMillion == 0) {
                return "free";
            }
            return "$" + dollars(inputMicrosPerMillion) + " / $" + dollars(outputMicrosPerMillion) + " per 1M tokens in / out";
        }

        private static String dollars(long micros) {
            BigDecimal d = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
            return d.setScale(Math.max(2, d.scale())).toPlainString();
        }
    }

    private final List<Model> models;

    public ModelCatalog(List<Model> models) {
        if (models.isEmpty()) {
            throw new ConfigException("no model is configured");
        }
        this.models = List.copyOf(models);
    }

    /**
     * The models the providers serve (the router's list, the default first; with the single-upstream settings that
     * is CHATRELAY_MODEL alone, with the demo its own model), each priced from the price table, which includes the
     * prices a providers file gives.
     */
    public static ModelCatalog of(List<String> served, PriceTable prices) {
        return of(served, prices, Set.of());
    }

    /** @param thinking the models a provider is configured to make think ({@code ProvidersConfig.thinkingModels()}) */
    public static ModelCatalog of(List<String> served, PriceTable prices, Set<String> thinking) {
        return new ModelCatalog(served.stream().map(id -> model(id, prices, thinking.contains(id))).toList());
    }

    private static Model model(String id, PriceTable prices, boolean thinks) {
        Optional<ModelPrice> p = prices.find(id);
        return new Model(id, p.map(ModelPrice::inputMicrosPerMillion).orElse(null), p.map(ModelPrice::outputMicrosPerMillion).orElse(null),
                thinks);
    }

    public List<Model> models() {
        return models;
    }

    /** The model new conversations start with. */
    public String defaultModel() {
        return models.get(0).id();
    }

    public boolean contains(String id) {
        return id != null && models.stream().anyMatch(m -> m.id().equals(id));
    }
}
