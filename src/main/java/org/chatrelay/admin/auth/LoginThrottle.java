package org.chatrelay.admin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing (ASVS 2.2.1): after {@code USER_FREE} failures for a username, or {@code ADDRESS_FREE}
 * from one client address, further attempts are refused unchecked for a lock that doubles from one minute up to
 * fifteen. Usernames are counted whether or not they exist, so the lock tells nothing about existence. A success
 * clears the username's count. Memory is bounded: the least recently used keys are forgotten first.
 */
public final class LoginThrottle {
    static final int USER_FREE = 5;
    static final int ADDRESS_FREE = 20;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Failures> byKey = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_KEYS;
        }
    };

    private static final class Failures {
        int count;
        Instant last;
        Instant lockedUntil = Instant.MIN;
    }

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** True when this attempt must be refused without checking the password. */
    public synchronized boolean locked(String username, String address) {
        Instant now = clock.instant();
        return lockedUntil(userKey(username), now) || lockedUntil(addressKey(address), now);
    }

    public synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        count(userKey(username), USER_FREE, now);
        count(addressKey(address), ADDRESS_FREE, now);
    }

    public synchronized void succeeded(String username) {
        byKey.remove(userKey(username));
    }

    private boolean lockedUntil(String key, Instant now) {
        Failures f = byKey.get(key);
        return f != null && now.isBefore(f.lockedUntil);
    }

    private void count(String key, int free, Instant now) {
        Failures f = byKey.computeIfAbsent(key, k -> new Failures());
        if (f.last != null && Duration.between(f.last, now).compareTo(FORGET_AFTER) > 0) {
            f.count = 0;
        }
        f.count++;
        f.last = now;
        if (f.count >= free) {
            int doublings = Math.min(f.count - free, 4);
            Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
            f.lockedUntil = now.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
        }
    }

    private static String userKey(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return "u:" + (u.length() > 64 ? u.substring(0, 64) : u);
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
