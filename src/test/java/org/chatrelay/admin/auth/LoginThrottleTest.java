package org.chatrelay.admin.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2025-03-10T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void five_failures_lock_a_username_whether_or_not_it_exists_and_the_lock_expires() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < 4; i++) {
            t.failed("Nobody", "10.0.0." + i);
            assertFalse(t.locked("nobody", "10.0.0.9"));
        }
        t.failed("nobody", "10.0.0.5");
        assertTrue(t.locked("NOBODY", "10.0.0.9"), "usernames compare case-insensitively");
        assertFalse(t.locked("someone-else", "10.0.0.9"));
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertFalse(t.locked("nobody", "10.0.0.9"));
        t.failed("nobody", "10.0.0.5");
        assertTrue(t.locked("nobody", "10.0.0.9"), "the next failure locks again, for longer");
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertTrue(t.locked("nobody", "10.0.0.9"));
    }

    @Test
    void one_address_guessing_many_usernames_is_locked_too() {
        LoginThrottle t = new LoginThrottle(new MutableClock());
        for (int i = 0; i < 20; i++) {
            t.failed("user" + i, "192.0.2.7");
        }
        assertTrue(t.locked("fresh-name", "192.0.2.7"));
        assertFalse(t.locked("fresh-name", "192.0.2.8"));
    }
}
