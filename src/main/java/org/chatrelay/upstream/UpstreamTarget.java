package org.chatrelay.upstream;

import java.net.URI;
import org.chatrelay.config.ApiKeySource;

/** Where one answer is requested: a provider's base URL, its key source and the model name sent upstream. */
public record UpstreamTarget(String provider, URI baseUrl, ApiKeySource key, String model) {

    @Override
    public String toString() {
        // Never print the key itself: ApiKeySource.toString() only says where it comes from.
        return provider + " " + baseUrl + " model=" + model + " (" + key + ")";
    }
}
