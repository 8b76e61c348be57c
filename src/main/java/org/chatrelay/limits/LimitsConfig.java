package org.chatrelay.limits;

import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * What one visitor may ask of the relay; 0 turns a limit off.
 *
 * @param perVisitorPerMinute chat requests a visitor (the {@code cr_visitor} cookie) may start in any 60 s
 * @param perAddressPerMinute chat requests one client address may start in any 60 s: a visitor who drops the cookie
 *                            gets a new identity, not a new address
 * @param streamsPerVisitor   answers a visitor may have streaming at once
 * @param dailyTokens         prompt plus completion tokens a visitor may use per UTC day
 */
public record LimitsConfig(int perVisitorPerMinute, int perAddressPerMinute, int streamsPerVisitor, long dailyTokens) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(20, 120, 3, 200_000);

    public static LimitsConfig from(Settings s) {
        return new LimitsConfig(
                atLeastZero(s, "CHATRELAY_RATE_LIMIT_PER_MINUTE", DEFAULT.perVisitorPerMinute),
                atLeastZero(s, "CHATRELAY_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", DEFAULT.perAddressPerMinute),
                atLeastZero(s, "CHATRELAY_MAX_STREAMS_PER_VISITOR", DEFAULT.streamsPerVisitor),
                atLeastZero(s, "CHATRELAY_DAILY_TOKEN_BUDGET", (int) DEFAULT.dailyTokens));
    }

    private static int atLeastZero(Settings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v < 0) {
            throw new ConfigException(name + " must be zero (no limit) or more, got " + v);
        }
        return v;
    }
}
