package org.chatrelay.upstream;

import java.net.URI;
import java.time.Duration;
import org.chatrelay.config.ApiKeySource;
import org.chatrelay.config.Dialect;

/**
 * Where one attempt is sent: a provider, the wire format it speaks, its base URL and key source, the model name it
 * knows, the longest silence allowed between chunks, and the answer length limit.
 */
public record UpstreamTarget(String provider, Dialect dialect, URI baseUrl, ApiKeySource key, String model,
                             Duration idleTimeout, int maxTokens) {

    @Override
    public String toString() {
        // Never print the key itself: ApiKeySource.toString() only says where it comes from.
        return provider + " " + dialect.code() + " " + baseUrl + " model=" + model + " (" + key + ")";
    }
}
