package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S18 on the built WAR: failures look and take alike for known and unknown users, and ten
 * wrong passwords lock the account so that even the right one is refused, with the same message. Timings are printed
 * and checked only against a generous bound.
 */
class AdminLoginThrottleIT {
    static final String USER = "throttle-admin";
    static final String PASSWORD = "throttle-password-1";
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("admin-throttle").demo().threads(16)
            .settings(Map.of("chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD));

    @Test
    void failures_for_known_and_unknown_users_look_alike_and_ten_wrong_passwords_lock_the_account() throws Exception {
        AdminClient c = new AdminClient(app.base());
        long[] known = new long[4];
        long[] unknown = new long[4];
        String knownLocation = null;
        String unknownLocation = null;
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            knownLocation = c.login(USER, "wrong-" + i).headers().firstValue("Location").orElse("");
            known[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            unknownLocation = c.login("nobody-" + i, "wrong-" + i).headers().firstValue("Location").orElse("");
            unknown[i] = System.nanoTime() - t0;
        }
        assertEquals(knownLocation, unknownLocation);
        assertTrue(knownLocation.endsWith("/login?error"), knownLocation);
        long knownMs = median(known) / 1_000_000;
        long unknownMs = median(unknown) / 1_000_000;
        System.out.printf("login failure median: known user %d ms, unknown user %d ms%n", knownMs, unknownMs);
        assertTrue(unknownMs * 2 >= knownMs && knownMs * 2 >= unknownMs, "similar timing: " + knownMs + " vs " + unknownMs);

        for (int i = 4; i < 10; i++) {
            c.login(USER, "wrong-" + i);
        }
        long t0 = System.nanoTime();
        HttpResponse<String> locked = c.login(USER, PASSWORD);
        long lockedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("refused while locked: %d ms%n", lockedMs);
        assertEquals(knownLocation, locked.headers().firstValue("Location").orElse(""), "the right password is refused, same answer");
        assertTrue(lockedMs * 3 >= knownMs, "a lock answers in about the time of a check: " + lockedMs + " vs " + knownMs);
        assertEquals(302, c.get("admin").statusCode(), "not signed in");
        String page = c.get("login?error").body();
        assertTrue(page.contains("Wrong username or password, or too many attempts."), page);
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
