package org.chatrelay.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.chatrelay.config.CooldownConfig;
import org.junit.jupiter.api.Test;

class ProviderHealthTest {
    final long[] now = {1_000_000_000L};
    final ProviderHealth health = new ProviderHealth(new CooldownConfig(Duration.ofSeconds(60), 4, 0.5, Duration.ofSeconds(30)), () -> now[0]);

    void advance(Duration d) {
        now[0] += d.toNanos();
    }

    @Test
    void half_of_the_recent_attempts_failing_starts_a_cooldown_that_ends_by_itself() {
        health.record(true);
        health.record(false);
        health.record(true);
        assertTrue(health.available(), "3 attempts are fewer than the minimum of 4");
        assertTrue(health.record(false), "2 of 4 failed: 50 %");
        assertFalse(health.available());
        advance(Duration.ofSeconds(29));
        assertFalse(health.available());
        advance(Duration.ofSeconds(2));
        assertTrue(health.available());
        assertFalse(health.record(false), "a clean slate after the cooldown: one failure is not enough");
    }

    @Test
    void failures_older_than_the_window_do_not_count() {
        health.record(false);
        health.record(false);
        health.record(false);
        advance(Duration.ofSeconds(70));
        health.record(true);
        health.record(true);
        health.record(true);
        assertFalse(health.record(false), "only 1 of the last 4 failed");
        assertTrue(health.available());
    }

    @Test
    void mostly_successful_traffic_never_cools_down() {
        for (int i = 0; i < 1000; i++) {
            assertFalse(health.record(i % 3 != 2), "one failure in three, at attempt " + i);
            advance(Duration.ofMillis(100));
        }
        assertTrue(health.available());
    }
}
