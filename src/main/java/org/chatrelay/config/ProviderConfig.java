package org.chatrelay.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One upstream provider, as the providers file (or the single-upstream shorthand) describes it.
 *
 * @param maxConcurrentStreams live upstream streams on this node; the excess waits in a queue
 * @param queueSize            how many answers may wait for a free stream; beyond, the next provider or a 503
 * @param queueWait            how long one may wait there
 * @param maxTokens            the answer length limit sent upstream (required by the Anthropic API)
 */
public record ProviderConfig(String name, Dialect dialect, URI baseUrl, ApiKeySource key, List<ProviderModel> models,
                             int maxConcurrentStreams, int queueSize, Duration queueWait, Timeouts timeouts,
                             RetryPolicy retry, int maxTokens) {

    public Optional<ProviderModel> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public boolean serves(String model) {
        return model(model).isPresent();
    }
}
