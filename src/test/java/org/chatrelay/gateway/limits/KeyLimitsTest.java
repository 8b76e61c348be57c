package org.chatrelay.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.chatrelay.gateway.GatewayUsage;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.errors.Refusal.Reason;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeyRepository;
import org.chatrelay.gateway.keys.KeySpec;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyLimitsTest {
    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2030-03-10T12:00:00Z"));
    KeyLimits limits;
    GatewayKeys keys;

    @BeforeEach
    void setUp() {
        db = TestDb.h2();
        limits = new KeyLimits(db.dataSource(), clock, "node-a");
        keys = new GatewayKeys(new KeyRepository(db.dataSource()), clock);
    }

    @AfterEach
    void tearDown() {
        TestDb.close(db);
    }

    VirtualKey key(Integer rpm, Integer streams, Long dailyMicros, Long monthlyMicros) {
        return keys.create(new KeySpec("k", null, List.of(), rpm, streams, dailyMicros, monthlyMicros, null, false)).key();
    }

    Refusal refused(VirtualKey key, boolean streaming, long reserve) {
        return assertThrows(Refusal.class, () -> limits.admit(key, streaming, reserve));
    }

    @Test
    void the_rpm_admits_exactly_that_many_in_a_sliding_minute_and_says_when_the_next_fits() {
        VirtualKey key = key(3, null, null, null);
        limits.admit(key, false, 0).close();
        clock.advance(Duration.ofSeconds(20));
        limits.admit(key, false, 0).close();
        limits.admit(key, false, 0).close();
        Refusal r = refused(key, false, 0);
        assertEquals(Reason.RATE_LIMITED, r.reason());
        assertEquals(OptionalLong.of(40), r.error().retryAfterSeconds(), "the first request leaves the window 40 s from now");
        clock.advance(Duration.ofSeconds(40));
        limits.admit(key, false, 0).close();
        refused(key, false, 0);
    }

    @Test
    void streams_at_once_count_open_streaming_calls_only_until_they_are_closed() {
        VirtualKey key = key(null, 2, null, null);
        Admission a = limits.admit(key, true, 0);
        Admission b = limits.admit(key, true, 0);
        limits.admit(key, false, 0).close();
        Refusal r = refused(key, true, 0);
        assertEquals(Reason.TOO_MANY_STREAMS, r.reason());
        assertEquals(429, r.error().status(org.chatrelay.config.Dialect.OPENAI));
        a.close();
        limits.admit(key, true, 0).close();
        b.close();
    }

    @Test
    void a_dead_nodes_calls_stop_counting_after_the_stale_limit() {
        VirtualKey key = key(null, 1, null, null);
        limits.admit(key, true, 0);
        refused(key, true, 0);
        clock.advance(KeyLimits.STALE_CALL.plusSeconds(1));
        limits.admit(key, true, 0).close();
    }

    @Test
    void the_daily_budget_counts_todays_usage_and_the_reservations_of_calls_in_flight() throws SQLException {
        VirtualKey key = key(null, null, 1_000_000L, null);
        usage(key, clock.instant().minus(Duration.ofDays(1)), 5_000_000L); // yesterday's spend does not count
        usage(key, clock.instant(), 600_000L);
        Admission a = limits.admit(key, false, 300_000L); // spent 0.6 < 1.0
        Admission b = limits.admit(key, false, 200_000L); // 0.6 + 0.3 reserved < 1.0
        Refusal r = refused(key, false, 0);               // 0.6 + 0.5 reserved: over
        assertEquals(Reason.DAILY_BUDGET_SPENT, r.reason());
        assertEquals(OptionalLong.of(12 * 3600), r.error().retryAfterSeconds(), "renews at midnight UTC");
        assertEquals("insufficient_quota", r.error().body(org.chatrelay.config.Dialect.OPENAI).get("error").get("code").asText());

        usage(key, clock.instant(), 50_000L); // b cost less than it reserved; its usage row is stored, then it lets go
        b.close();
        limits.admit(key, false, 0).close();   // 0.65 + 0.3 reserved < 1.0
        usage(key, clock.instant(), 300_000L);
        a.close();
        limits.admit(key, false, 0).close();   // 0.95 < 1.0
        usage(key, clock.instant(), 100_000L);
        assertEquals(Reason.DAILY_BUDGET_SPENT, refused(key, false, 0).reason()); // 1.05: one call's worth over, no more
    }

    @Test
    void the_monthly_budget_counts_from_the_first_of_the_month_utc() throws SQLException {
        VirtualKey key = key(null, null, null, 2_000_000L);
        usage(key, Instant.parse("2030-02-28T23:00:00Z"), 9_000_000L);
        usage(key, Instant.parse("2030-03-01T00:00:00Z"), 1_500_000L);
        limits.admit(key, false, 0).close();
        usage(key, clock.instant(), 500_000L);
        Refusal r = refused(key, false, 0);
        assertEquals(Reason.MONTHLY_BUDGET_SPENT, r.reason());
        assertEquals(OptionalLong.of(Duration.between(clock.instant(), Instant.parse("2030-04-01T00:00:00Z")).getSeconds()),
                r.error().retryAfterSeconds());
    }

    @Test
    void a_key_revoked_since_it_was_read_is_refused_at_admission_and_a_key_without_limits_claims_nothing() throws SQLException {
        VirtualKey key = key(10, null, null, null);
        keys.revoke(key.id());
        assertEquals(Reason.REVOKED_KEY, refused(key, false, 0).reason());
        VirtualKey free = key(null, null, null, null);
        for (int i = 0; i < 5; i++) {
            limits.admit(free, true, 1_000_000L);
        }
        try (Connection c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM gateway_key_call")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    void usage(VirtualKey key, Instant startedAt, long costMicros) throws SQLException {
        GatewayUsage.insert(db.dataSource(), key.id(), startedAt, costMicros);
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
