package org.chatrelay.ops;

import java.time.Duration;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * Settings for running in production, read with the rest at start-up.
 *
 * @param shutdownGrace how long answers in flight may still run after a stop signal ({@code CHATRELAY_SHUTDOWN_GRACE_MS})
 */
public record OpsConfig(Duration shutdownGrace) {

    public static OpsConfig from(Settings s) {
        int grace = s.getInt("CHATRELAY_SHUTDOWN_GRACE_MS", 20_000);
        if (grace < 0) {
            throw new ConfigException("CHATRELAY_SHUTDOWN_GRACE_MS must be zero or more, got " + grace);
        }
        return new OpsConfig(Duration.ofMillis(grace));
    }
}
