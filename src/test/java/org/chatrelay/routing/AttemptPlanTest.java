package org.chatrelay.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.config.CooldownConfig;
import org.chatrelay.config.RetryPolicy;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.upstream.UpstreamFailure.Kind;
import org.junit.jupiter.api.Test;

class AttemptPlanTest {
    static final Duration PLENTY = Duration.ofMinutes(5);
    static final UpstreamFailure HTTP_500 = new UpstreamFailure(Kind.HTTP_STATUS, 500, Optional.empty(), "x");

    /** A route over providers a and b (both serve m), random fixed at {@code r}. */
    static AttemptPlan plan(double r) {
        Router router = new Router(TestProviders.config(List.of(TestProviders.provider("a", "m"), TestProviders.provider("b", "m")),
                "m", Map.of(), null, CooldownConfig.DEFAULT));
        return new AttemptPlan(router.route(null, "v"), () -> r);
    }

    static String where(AttemptPlan.Step s) {
        return s instanceof AttemptPlan.Try t ? t.candidate().provider().name() + " after " + t.delay().toMillis() + " ms" : "give up";
    }

    static UpstreamFailure status(int code, Integer retryAfterSeconds) {
        return new UpstreamFailure(Kind.HTTP_STATUS, code, Optional.ofNullable(retryAfterSeconds).map(Duration::ofSeconds), "x");
    }

    @Test
    void transient_failures_retry_the_same_provider_with_full_jitter_then_fall_back() {
        AttemptPlan p = plan(0.999);
        assertEquals("a after 0 ms", where(p.first()));
        // Ceilings: 100 ms, then 200 ms (base 100 doubling, capped at 1 s); random 0.999 gives the top of the range.
        assertEquals("a after 100 ms", where(p.afterFailure(HTTP_500, false, false, PLENTY)));
        assertEquals("a after 200 ms", where(p.afterFailure(HTTP_500, false, false, PLENTY)));
        assertEquals("b after 0 ms", where(p.afterFailure(HTTP_500, false, false, PLENTY)), "3 attempts spent on a: fall back");
        p.afterFailure(HTTP_500, false, false, PLENTY);
        p.afterFailure(HTTP_500, false, false, PLENTY);
        AttemptPlan.Step last = p.afterFailure(HTTP_500, false, false, PLENTY);
        assertEquals("give up", where(last));
        assertEquals(500, ((AttemptPlan.GiveUp) last).failure().status());
    }

    @Test
    void full_jitter_draws_from_zero_to_the_ceiling() {
        assertEquals("a after 0 ms", where(withFirst(plan(0.0)).afterFailure(HTTP_500, false, false, PLENTY)));
        assertEquals("a after 50 ms", where(withFirst(plan(0.5)).afterFailure(HTTP_500, false, false, PLENTY)));
        RetryPolicy r = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(5));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), List.of(1, 2, 3, 4, 5, 40).stream().map(n -> r.ceiling(n).toMillis()).toList());
    }

    @Test
    void retry_after_is_honoured_up_to_the_cap_and_a_longer_one_is_not_waited_for() {
        AttemptPlan p = withFirst(plan(0.5));
        assertEquals("a after 3000 ms", where(p.afterFailure(status(429, 3), false, false, PLENTY)));
        assertEquals("b after 0 ms", where(p.afterFailure(status(429, 60), false, false, PLENTY)), "60 s is above the 5 s cap: fall back at once");
        AttemptPlan.Step end = p.afterFailure(status(503, 3600), false, false, PLENTY);
        assertEquals(Duration.ofHours(1), ((AttemptPlan.GiveUp) end).failure().retryAfter().orElseThrow(), "the browser learns when to come back");
    }

    @Test
    void a_wait_longer_than_the_time_left_moves_on_instead() {
        AttemptPlan p = withFirst(plan(0.5));
        assertEquals("b after 0 ms", where(p.afterFailure(status(429, 3), false, false, Duration.ofSeconds(2))));
    }

    @Test
    void a_refused_key_is_retried_once_at_once_when_it_was_just_rotated() {
        AttemptPlan p = withFirst(plan(0.5));
        assertEquals("a after 0 ms", where(p.afterFailure(status(401, null), false, true, PLENTY)));
        assertEquals("b after 0 ms", where(p.afterFailure(status(401, null), false, true, PLENTY)), "only one re-read per answer");
        AttemptPlan q = withFirst(plan(0.5));
        assertEquals("b after 0 ms", where(q.afterFailure(status(401, null), false, false, PLENTY)), "same key: that provider cannot answer");
    }

    @Test
    void failures_that_would_repeat_end_the_answer_at_once() {
        assertEquals("give up", where(withFirst(plan(0.5)).afterFailure(status(400, null), false, false, PLENTY)));
        assertEquals("give up", where(withFirst(plan(0.5)).afterFailure(UpstreamFailure.of(Kind.NOT_AN_EVENT_STREAM, "json"), false, false, PLENTY)));
        assertEquals("give up", where(withFirst(plan(0.5)).afterFailure(
                new UpstreamFailure(Kind.PROVIDER_ERROR, 200, Optional.empty(), "invalid_request_error"), true, false, PLENTY)));
    }

    @Test
    void after_a_stream_was_accepted_only_one_more_attempt_is_made() {
        AttemptPlan p = withFirst(plan(0.5));
        UpstreamFailure overloaded = new UpstreamFailure(Kind.PROVIDER_ERROR, 200, Optional.empty(), "overloaded_error");
        assertInstanceOf(AttemptPlan.Try.class, p.afterFailure(overloaded, true, false, PLENTY));
        assertEquals("give up", where(p.afterFailure(overloaded, true, false, PLENTY)));
    }

    @Test
    void a_busy_provider_passes_the_answer_to_the_next_one() {
        AttemptPlan p = withFirst(plan(0.5));
        UpstreamFailure busy = new UpstreamFailure(Kind.BUSY, 0, Optional.of(Duration.ofSeconds(1)), "queue_full");
        assertEquals("b after 0 ms", where(p.afterFailure(busy, false, false, PLENTY)));
        AttemptPlan.Step end = p.afterFailure(busy, false, false, PLENTY);
        assertEquals(Duration.ofSeconds(1), ((AttemptPlan.GiveUp) end).failure().retryAfter().orElseThrow());
    }

    @Test
    void providers_cooling_down_go_to_the_back_and_are_still_tried_when_none_is_healthy() {
        long[] now = {0};
        CooldownConfig cooldown = new CooldownConfig(Duration.ofSeconds(60), 2, 0.5, Duration.ofSeconds(30));
        Router router = new Router(TestProviders.config(List.of(TestProviders.provider("a", "m"), TestProviders.provider("b", "m")),
                "m", Map.of(), null, cooldown), () -> now[0]);
        Provider a = router.providers().get(0);
        a.health().record(false);
        assertTrue(a.health().record(false), "two failures of two: cooling down");
        AttemptPlan p = new AttemptPlan(router.route(null, "v"), () -> 0.5);
        assertEquals("b after 0 ms", where(p.first()), "a is skipped while b can answer");
        assertEquals("b after 50 ms", where(p.afterFailure(HTTP_500, false, false, PLENTY)));
        p.afterFailure(HTTP_500, false, false, PLENTY);
        assertEquals("a after 0 ms", where(p.afterFailure(HTTP_500, false, false, PLENTY)), "and still used when b has failed");
        Provider b = router.providers().get(1);
        b.health().record(false);
        b.health().record(false);
        assertEquals("a after 0 ms", where(new AttemptPlan(router.route(null, "v"), () -> 0.5).first()),
                "all cooling: the route keeps its order, nothing is refused for it");
        now[0] += Duration.ofSeconds(31).toNanos();
        assertTrue(a.health().available(), "back by itself");
        router.close();
    }

    private static AttemptPlan withFirst(AttemptPlan p) {
        p.first();
        return p;
    }
}
