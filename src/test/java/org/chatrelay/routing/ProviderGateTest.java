package org.chatrelay.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderGateTest {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<ProviderGate.Permit> permits = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    Runnable ask(ProviderGate gate, String who) {
        return gate.acquire(p -> {
            permits.add(p);
            events.add(who + " granted");
        }, reason -> events.add(who + " refused " + reason));
    }

    static void await(java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void the_excess_waits_in_a_bounded_queue_and_gets_a_freed_place_in_order() throws Exception {
        ProviderGate gate = new ProviderGate(1, 2, Duration.ofSeconds(10), timer);
        ask(gate, "a");
        ask(gate, "b");
        ask(gate, "c");
        ask(gate, "d");
        assertEquals(List.of("a granted", "d refused queue_full"), events);
        assertEquals(1, gate.active());
        assertEquals(2, gate.waiting());
        permits.get(0).release();
        permits.get(0).release();
        await(() -> events.size() == 3);
        assertEquals("b granted", events.get(2), "releasing twice frees one place only");
        permits.get(1).release();
        await(() -> events.size() == 4);
        assertEquals("c granted", events.get(3));
        permits.get(2).release();
        assertEquals(0, gate.active());
    }

    @Test
    void a_wait_that_lasts_too_long_is_refused_and_a_withdrawn_one_is_forgotten() throws Exception {
        ProviderGate gate = new ProviderGate(1, 5, Duration.ofMillis(100), timer);
        // The timer (one thread) is held until b is withdrawn: on a loaded machine 100 ms could pass between asking and
        // withdrawing, and b's wait would expire first. Held, both timeouts run after, in order: b's finds it gone.
        CountDownLatch setUp = new CountDownLatch(1);
        timer.execute(() -> {
            try {
                setUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ask(gate, "a");
        Runnable withdrawB = ask(gate, "b");
        ask(gate, "c");
        withdrawB.run();
        setUp.countDown();
        await(() -> events.size() == 2);
        assertEquals(List.of("a granted", "c refused queue_wait"), events);
        assertEquals(0, gate.waiting());
    }

    @Test
    void no_queue_means_an_immediate_refusal() {
        ProviderGate gate = new ProviderGate(2, 0, Duration.ZERO, timer);
        ask(gate, "a");
        ask(gate, "b");
        ask(gate, "c");
        assertEquals(List.of("a granted", "b granted", "c refused queue_full"), events);
    }
}
