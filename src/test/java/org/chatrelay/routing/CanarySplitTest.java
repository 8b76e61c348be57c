package org.chatrelay.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.chatrelay.config.CanaryConfig;
import org.chatrelay.config.CooldownConfig;
import org.junit.jupiter.api.Test;

class CanarySplitTest {
    /** Visitor ids like the cookie's: random, but seeded so the test is the same on every run. */
    static List<String> visitors(int n) {
        Random r = new Random(42);
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new UUID(r.nextLong(), r.nextLong()).toString()).toList();
    }

    @Test
    void twenty_percent_of_ten_thousand_visitors_land_in_the_canary_within_one_point() {
        CanarySplit split = new CanarySplit(new CanaryConfig("canary", 20, "rollout-1"));
        long in = visitors(10_000).stream().filter(split::inCanary).count();
        double percent = in / 100.0;
        System.out.printf("[CanarySplitTest] canary share over 10,000 visitors: %.2f %% (configured 20 %%)%n", percent);
        assertTrue(Math.abs(percent - 20) <= 1, "canary share " + percent + " %");
        for (double configured : new double[] {1, 5, 50, 95}) {
            CanarySplit s = new CanarySplit(new CanaryConfig("canary", configured, "rollout-1"));
            double share = visitors(10_000).stream().filter(s::inCanary).count() / 100.0;
            assertTrue(Math.abs(share - configured) <= 1, configured + " % configured, " + share + " % observed");
        }
    }

    @Test
    void the_arm_is_sticky_across_instances_as_after_a_restart_or_on_another_node() {
        CanarySplit first = new CanarySplit(new CanaryConfig("canary", 20, "rollout-1"));
        CanarySplit restarted = new CanarySplit(new CanaryConfig("canary", 20, "rollout-1"));
        for (String v : visitors(10_000)) {
            assertEquals(first.inCanary(v), restarted.inCanary(v));
            assertEquals(first.inCanary(v), first.inCanary(v));
        }
        // A fixed point: the bucket is a pure function of (salt, id), whatever the JVM.
        assertEquals(CanarySplit.bucket("rollout-1", "visitor-1"), CanarySplit.bucket("rollout-1", "visitor-1"));
        assertNotEquals(CanarySplit.bucket("rollout-1", "visitor-1"), CanarySplit.bucket("rollout-2", "visitor-1"));
    }

    @Test
    void growing_the_percentage_only_moves_main_visitors_into_the_canary() {
        CanarySplit ten = new CanarySplit(new CanaryConfig("canary", 10, "s"));
        CanarySplit twenty = new CanarySplit(new CanaryConfig("canary", 20, "s"));
        assertTrue(visitors(10_000).stream().filter(ten::inCanary).allMatch(twenty::inCanary));
    }

    @Test
    void the_canary_arm_tries_the_canary_first_and_the_main_arm_never_uses_it() {
        Router router = new Router(TestProviders.config(List.of(TestProviders.provider("main", "m", "f"),
                TestProviders.provider("canary", "m"), TestProviders.provider("backup", "f")),
                "m", Map.of("m", "f"), new CanaryConfig("canary", 20, "s"), CooldownConfig.DEFAULT));
        CanarySplit split = new CanarySplit(new CanaryConfig("canary", 20, "s"));
        String canaryVisitor = visitors(100).stream().filter(split::inCanary).findFirst().orElseThrow();
        String mainVisitor = visitors(100).stream().filter(v -> !split.inCanary(v)).findFirst().orElseThrow();
        Route c = router.route(null, canaryVisitor);
        assertEquals("canary", c.arm());
        assertEquals(List.of("canary/m", "main/m", "main/f", "backup/f"), c.candidates().stream().map(Object::toString).toList());
        Route m = router.route(null, mainVisitor);
        assertEquals("main", m.arm());
        assertEquals(List.of("main/m", "main/f", "backup/f"), m.candidates().stream().map(Object::toString).toList());
        assertEquals("main", router.route("f", canaryVisitor).arm(), "the canary does not serve f: that answer is not the canary's");
        router.close();
    }
}
