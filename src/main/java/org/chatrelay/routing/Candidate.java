package org.chatrelay.routing;

import java.util.Optional;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.config.ProviderModel;
import org.chatrelay.upstream.UpstreamTarget;

/** One place an answer may come from: a provider and the model as that provider serves it. */
public record Candidate(Provider provider, ProviderModel model) {

    public UpstreamTarget target() {
        var c = provider.config();
        return new UpstreamTarget(c.name(), c.dialect(), c.baseUrl(), c.key(), model.upstreamModel(), c.timeouts().idle(), c.maxTokens(),
                model.reasoning());
    }

    public Optional<ModelPrice> price() {
        return model.price();
    }

    @Override
    public String toString() {
        return provider.name() + "/" + model.name();
    }
}
