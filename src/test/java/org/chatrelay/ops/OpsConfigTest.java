package org.chatrelay.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

class OpsConfigTest {
    @Test
    void the_shutdown_grace_defaults_to_20_seconds_and_may_be_zero() {
        assertEquals(Duration.ofSeconds(20), OpsConfig.from(Settings.of(Map.of())).shutdownGrace());
        assertEquals(Duration.ZERO, OpsConfig.from(Settings.of(Map.of("CHATRELAY_SHUTDOWN_GRACE_MS", "0"))).shutdownGrace());
    }

    @Test
    void a_negative_or_non_numeric_grace_names_the_setting() {
        ConfigException negative = assertThrows(ConfigException.class,
                () -> OpsConfig.from(Settings.of(Map.of("CHATRELAY_SHUTDOWN_GRACE_MS", "-1"))));
        assertEquals("CHATRELAY_SHUTDOWN_GRACE_MS must be zero or more, got -1", negative.getMessage());
        assertThrows(ConfigException.class, () -> OpsConfig.from(Settings.of(Map.of("CHATRELAY_SHUTDOWN_GRACE_MS", "soon"))));
    }
}
