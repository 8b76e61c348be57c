package org.chatrelay.routing;

import org.chatrelay.config.ProviderConfig;

/** A configured provider with its live state on this node: the concurrency gate and the recent-failure record. */
public record Provider(ProviderConfig config, ProviderGate gate, ProviderHealth health) {

    public String name() {
        return config.name();
    }
}
