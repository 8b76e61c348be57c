package org.chatrelay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import java.util.function.ToLongBiFunction;
import org.junit.jupiter.api.Test;

class VisitorLimitsTest {

    @Test
    void defaults_and_settings_and_a_negative_value_names_the_setting() {
        assertEquals(LimitsConfig.DEFAULT, LimitsConfig.from(Settings.of(Map.of())));
        LimitsConfig c = LimitsConfig.from(Settings.of(Map.of("CHATRELAY_RATE_LIMIT_PER_MINUTE", "5",
                "CHATRELAY_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0", "CHATRELAY_MAX_STREAMS_PER_VISITOR", "1",
                "CHATRELAY_DAILY_TOKEN_BUDGET", "1000")));
        assertEquals(new LimitsConfig(5, 0, 1, 1000), c);
        ConfigException e = assertThrows(ConfigException.class,
                () -> LimitsConfig.from(Settings.of(Map.of("CHATRELAY_MAX_STREAMS_PER_VISITOR", "-1"))));
        assertTrue(e.getMessage().startsWith("CHATRELAY_MAX_STREAMS_PER_VISITOR"), e.getMessage());
    }

    @Test
    void a_stream_slot_is_given_back_once_when_the_request_never_went_async() throws Exception {
        VisitorLimits limits = new VisitorLimits(new LimitsConfig(0, 0, 1, 0), (v, s) -> 0, Clock.systemUTC());
        VisitorLimits.Admission first = limits.admit("v", "a");
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> limits.admit("v", "a"));
        assertEquals("too_many_streams", e.code());
        assertEquals(Duration.ofSeconds(5), e.retryAfter());
        first.close();
        first.close();
        assertEquals(0, limits.openStreams("v"));
        try (VisitorLimits.Admission again = limits.admit("v", "a")) {
            assertEquals(1, limits.openStreams("v"));
        }
        assertEquals(0, limits.openStreams("v"));
    }

    @Test
    void a_slot_handed_over_to_an_answer_is_given_back_once_when_the_answer_ended_not_on_close() throws Exception {
        VisitorLimits limits = new VisitorLimits(new LimitsConfig(0, 0, 1, 0), (v, s) -> 0, Clock.systemUTC());
        VisitorLimits.Admission admission = limits.admit("v", "a");
        admission.handedOver();
        admission.close();
        assertEquals(1, limits.openStreams("v"), "the answer's slot went back when its POST's handler returned");
        admission.answerEnded();
        admission.answerEnded();
        assertEquals(0, limits.openStreams("v"));
        limits.admit("v", "a").close();
    }

    @Test
    void the_budget_counts_todays_tokens_and_retry_after_runs_to_midnight_utc() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T18:00:00Z"), ZoneOffset.UTC);
        Instant[] askedSince = new Instant[1];
        ToLongBiFunction<String, Instant> usage = (visitor, since) -> {
            askedSince[0] = since;
            return visitor.equals("v") ? 100 : 0;
        };
        new VisitorLimits(new LimitsConfig(0, 0, 0, 101), usage, clock).admit("v", "a").close();
        assertEquals(Instant.parse("2026-03-02T00:00:00Z"), askedSince[0], "the day starts at midnight UTC");
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> new VisitorLimits(new LimitsConfig(0, 0, 0, 100), usage, clock).admit("v", "a"));
        assertEquals("budget_exhausted", e.code());
        assertEquals(Duration.ofHours(6), e.retryAfter());
        new VisitorLimits(new LimitsConfig(0, 0, 0, 100), usage, clock).admit("someone-else", "a").close();
    }

    @Test
    void the_address_is_checked_before_the_visitor_and_each_refusal_says_rate_limited() throws Exception {
        VisitorLimits limits = new VisitorLimits(new LimitsConfig(5, 2, 0, 0), (v, s) -> 0, Clock.systemUTC());
        limits.admit("v1", "10.0.0.1").close();
        limits.admit("v2", "10.0.0.1").close();
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> limits.admit("v3", "10.0.0.1"));
        assertEquals("rate_limited", e.code());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(60)) <= 0 && !e.retryAfter().isNegative(), e.retryAfter().toString());
        limits.admit("v3", "10.0.0.2").close();
    }
}
