package org.chatrelay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final SlidingWindow window = new SlidingWindow(3, Duration.ofSeconds(60), now::get);

    void advance(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void admits_the_limit_then_says_how_long_until_the_oldest_leaves_the_window() {
        assertEquals(Optional.empty(), window.tryAcquire("a"));
        advance(10);
        assertEquals(Optional.empty(), window.tryAcquire("a"));
        advance(10);
        assertEquals(Optional.empty(), window.tryAcquire("a"));
        assertEquals(Optional.of(Duration.ofSeconds(40)), window.tryAcquire("a"));
        assertEquals(Optional.empty(), window.tryAcquire("b"), "keys are independent");
        advance(40);
        assertEquals(Optional.empty(), window.tryAcquire("a"), "the first event left the window");
        assertEquals(Optional.of(Duration.ofSeconds(10)), window.tryAcquire("a"));
    }

    @Test
    void refused_attempts_do_not_count_so_a_client_that_retries_too_early_is_not_punished_forever() {
        for (int i = 0; i < 3; i++) {
            window.tryAcquire("a");
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(window.tryAcquire("a").isPresent());
        }
        advance(60);
        assertEquals(Optional.empty(), window.tryAcquire("a"));
    }

    @Test
    void never_more_than_the_limit_in_any_window_even_across_a_minute_boundary() {
        int admitted = 0;
        for (int second = 0; second < 120; second++) {
            if (window.tryAcquire("a").isEmpty()) {
                admitted++;
            }
            advance(1);
        }
        assertEquals(6, admitted, "3 per 60 s over 120 s");
    }

    @Test
    void quiet_keys_are_swept_so_a_flood_of_new_visitors_does_not_grow_memory_for_ever() {
        for (int i = 0; i < 5000; i++) {
            window.tryAcquire("visitor-" + i);
        }
        advance(61);
        for (int i = 0; i < 1024; i++) {
            window.tryAcquire("late-" + (i % 10));
        }
        assertTrue(window.keys() <= 10 + 1024, "keys kept: " + window.keys());
    }
}
