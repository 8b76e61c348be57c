package org.chatrelay.gateway.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.errors.Refusal.Reason;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.persistence.PersistenceException;

/**
 * Per-key requests per minute, streams at once and daily and monthly budgets, counted in the database every node
 * shares. Each admission locks the key's row ({@code SELECT … FOR UPDATE}, on H2 and PostgreSQL alike), so the
 * admissions of one key are serialised across nodes and each one counts what every earlier one wrote: the rpm is
 * exact, never "per node".
 *
 * <p>Budgets: the spend is answer_usage's cost of the key since midnight UTC (daily) and the first of the month
 * (monthly), plus what the calls still in flight reserved. A call is admitted while spend + reservations are below
 * the budget, so the key ends at most one call's cost over it — provided each call reserves at least what it can
 * cost (the endpoint reserves max_tokens at the model's price). Own SQL rather than Bucket4j's JDBC backends: the
 * budget is a sum over the usage table, which no token bucket holds, and one lock then serves all four limits.
 */
public final class KeyLimits {
    /** Calls older than this are a dead node's leftovers (the answer limit is 10 minutes): not counted any more. */
    static final Duration STALE_CALL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final DataSource ds;
    private final Clock clock;
    private final String nodeId;

    public KeyLimits(DataSource ds, Clock clock, String nodeId) {
        this.ds = ds;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /**
     * Admits one call of the key or refuses it; nothing is claimed when it is refused.
     *
     * @param reserveMicros what the call may cost at most, in micro-dollars, held against the budgets until
     *                      {@link Admission#close()}
     * @throws Refusal over rpm or streams (429 with Retry-After), budget spent (429 insufficient_quota), revoked
     */
    public Admission admit(VirtualKey key, boolean streaming, long reserveMicros) {
        if (!key.limited()) {
            return Admission.NONE;
        }
        Instant now = clock.instant();
        String callId = UUID.randomUUID().toString();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockKey(c, key);
                check(c, key, streaming, reserveMicros, now);
                if (key.rpm() != null) {
                    update(c, "INSERT INTO gateway_key_request (key_id, admitted_at) VALUES (?, ?)", key.id(), at(now));
                }
                update(c, "INSERT INTO gateway_key_call (id, key_id, node_id, streaming, reserve_micros, started_at) VALUES (?, ?, ?, ?, ?, ?)",
                        callId, key.id(), nodeId, streaming, Math.max(0, reserveMicros), at(now));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot admit a call of gateway key " + key.id(), e);
        }
        return () -> release(callId);
    }

    private void check(Connection c, VirtualKey key, boolean streaming, long reserveMicros, Instant now) throws SQLException {
        if (key.rpm() != null) {
            Instant windowStart = now.minus(WINDOW);
            update(c, "DELETE FROM gateway_key_request WHERE key_id = ? AND admitted_at <= ?", key.id(), at(windowStart));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), MIN(admitted_at) FROM gateway_key_request WHERE key_id = ? AND admitted_at > ?")) {
                ps.setString(1, key.id());
                ps.setObject(2, at(windowStart));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= key.rpm()) {
                        // The oldest request of the window leaves it first: then one more fits.
                        Instant frees = rs.getObject(2, OffsetDateTime.class).toInstant().plus(WINDOW);
                        throw new Refusal(Reason.RATE_LIMITED, "Rate limit reached: this key may make " + key.rpm()
                                + " requests per minute.", OptionalLong.of(secondsUntil(now, frees)));
                    }
                }
            }
        }
        Instant live = now.minus(STALE_CALL);
        if (streaming && key.maxStreams() != null) {
            long streams = number(c, "SELECT COUNT(*) FROM gateway_key_call WHERE key_id = ? AND streaming = TRUE AND started_at > ?",
                    key.id(), at(live));
            if (streams >= key.maxStreams()) {
                throw new Refusal(Reason.TOO_MANY_STREAMS, "Too many streams at once: this key may have " + key.maxStreams()
                        + " open; wait for one to end.", OptionalLong.of(1));
            }
        }
        if (key.dailyBudgetMicros() == null && key.monthlyBudgetMicros() == null) {
            return;
        }
        long reserved = number(c, "SELECT COALESCE(SUM(reserve_micros), 0) FROM gateway_key_call WHERE key_id = ? AND started_at > ?",
                key.id(), at(live));
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (key.dailyBudgetMicros() != null) {
            Instant from = today.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (spentSince(c, key, from) + reserved >= key.dailyBudgetMicros()) {
                throw new Refusal(Reason.DAILY_BUDGET_SPENT, "This key's daily budget of " + usd(key.dailyBudgetMicros())
                        + " is spent; it renews at midnight UTC.", OptionalLong.of(secondsUntil(now, from.plus(Duration.ofDays(1)))));
            }
        }
        if (key.monthlyBudgetMicros() != null) {
            LocalDate first = today.withDayOfMonth(1);
            Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (spentSince(c, key, from) + reserved >= key.monthlyBudgetMicros()) {
                throw new Refusal(Reason.MONTHLY_BUDGET_SPENT, "This key's monthly budget of " + usd(key.monthlyBudgetMicros())
                        + " is spent; it renews on the first of the month (UTC).",
                        OptionalLong.of(secondsUntil(now, first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant())));
            }
        }
    }

    /** The spend of the key's finished and running calls since a time, from their usage rows. */
    private static long spentSince(Connection c, VirtualKey key, Instant from) throws SQLException {
        return number(c, "SELECT COALESCE(SUM(cost_micros), 0) FROM answer_usage WHERE key_id = ? AND started_at >= ?", key.id(), at(from));
    }

    /** Also rejects a key revoked on another node a moment ago, whatever that node's key cache still holds. */
    private static void lockKey(Connection c, VirtualKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT revoked_at FROM gateway_key WHERE id = ? FOR UPDATE")) {
            ps.setString(1, key.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) != null) {
                    throw new Refusal(Reason.REVOKED_KEY, "This API key (" + key.prefix() + "…) was revoked.");
                }
            }
        }
    }

    private void release(String callId) {
        try (Connection c = ds.getConnection()) {
            update(c, "DELETE FROM gateway_key_call WHERE id = ?", callId);
        } catch (SQLException e) {
            // The row stops counting after STALE_CALL in any case.
            throw new PersistenceException("cannot release gateway call " + callId, e);
        }
    }

    private static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, (Duration.between(now, then).toMillis() + 999) / 1000);
    }

    private static String usd(long micros) {
        return "$" + java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    private static OffsetDateTime at(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    private static long number(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
