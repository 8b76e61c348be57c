package org.chatrelay.config;

import java.util.Optional;

/**
 * A model as one provider serves it.
 *
 * @param name          the name the app uses (routing, prices, usage records)
 * @param upstreamModel the name sent to this provider (e.g. a dated snapshot); often the same
 * @param price         this provider's price for it; empty = the price table's entry for {@code name}
 * @param reasoning     how it is asked to think ({@link ModelReasoning#NONE}: not asked)
 */
public record ProviderModel(String name, String upstreamModel, Optional<ModelPrice> price, ModelReasoning reasoning) {

    public ProviderModel {
        reasoning = reasoning == null ? ModelReasoning.NONE : reasoning;
    }

    public ProviderModel(String name, String upstreamModel, Optional<ModelPrice> price) {
        this(name, upstreamModel, price, ModelReasoning.NONE);
    }
}
