package org.chatrelay.routing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.config.ApiKeySource;
import org.chatrelay.config.CanaryConfig;
import org.chatrelay.config.CooldownConfig;
import org.chatrelay.config.Dialect;
import org.chatrelay.config.ProviderConfig;
import org.chatrelay.config.ProviderModel;
import org.chatrelay.config.ProvidersConfig;
import org.chatrelay.config.RetryPolicy;
import org.chatrelay.config.Timeouts;

/** Small provider configurations for routing tests. */
final class TestProviders {
    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(10));
    static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(5));

    private TestProviders() {
    }

    static ProviderConfig provider(String name, String... models) {
        return provider(name, RETRY, models);
    }

    static ProviderConfig provider(String name, RetryPolicy retry, String... models) {
        return new ProviderConfig(name, Dialect.OPENAI, URI.create("http://" + name + ".example/v1"), ApiKeySource.none(),
                java.util.Arrays.stream(models).map(m -> new ProviderModel(m, m, Optional.empty())).toList(),
                10, 0, Duration.ZERO, TIMEOUTS, retry, 4096);
    }

    static ProvidersConfig config(List<ProviderConfig> providers, String defaultModel, Map<String, String> fallbacks,
                                  CanaryConfig canary, CooldownConfig cooldown) {
        return new ProvidersConfig("test", providers, defaultModel, fallbacks, Optional.ofNullable(canary), cooldown);
    }
}
