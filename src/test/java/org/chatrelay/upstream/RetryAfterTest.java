package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    final Instant now = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void seconds_and_http_dates_are_both_understood() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse("7", now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sat, 21 Nov 2026 12:01:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sat, 21 Nov 2026 11:00:00 GMT", now));
    }

    @Test
    void garbage_is_ignored() {
        assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), RetryAfter.parse("-3", now));
        assertEquals(Optional.empty(), RetryAfter.parse(null, now));
    }
}
