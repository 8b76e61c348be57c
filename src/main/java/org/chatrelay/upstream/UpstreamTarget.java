package org.chatrelay.upstream;

import java.net.URI;
import java.time.Duration;
import org.chatrelay.config.ApiKeySource;
import org.chatrelay.config.Dialect;
import org.chatrelay.config.ModelReasoning;

/**
 * Where one attempt is sent: a provider, the wire format it speaks, its base URL and key source, the model name it
 * knows, the longest silence allowed between chunks, the answer length limit, and how the model is asked to think.
 */
public record UpstreamTarget(String provider, Dialect dialect, URI baseUrl, ApiKeySource key, String model,
                             Duration idleTimeout, int maxTokens, ModelReasoning reasoning) {

    public UpstreamTarget {
        reasoning = reasoning == null ? ModelReasoning.NONE : reasoning;
    }

    public UpstreamTarget(String provider, Dialect dialect, URI baseUrl, ApiKeySource key, String model,
                          Duration idleTimeout, int maxTokens) {
        this(provider, dialect, baseUrl, key, model, idleTimeout, maxTokens, ModelReasoning.NONE);
    }

    @Override
    public String toString() {
        // Never print the key itself: ApiKeySource.toString() only says where it comes from.
        return provider + " " + dialect.code() + " " + baseUrl + " model=" + model + " (" + key + ")";
    }
}
