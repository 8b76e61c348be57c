package org.chatrelay.config;

import java.time.Duration;

/**
 * When a provider is skipped for a while: at least {@code minRequests} attempts ended within {@code window} and at
 * least {@code failureRatio} of them failed. It comes back by itself after {@code cooldown}.
 */
public record CooldownConfig(Duration window, int minRequests, double failureRatio, Duration cooldown) {

    public static final CooldownConfig DEFAULT = new CooldownConfig(Duration.ofSeconds(60), 5, 0.5, Duration.ofSeconds(30));
}
