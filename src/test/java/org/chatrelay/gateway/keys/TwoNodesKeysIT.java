package org.chatrelay.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.chatrelay.gateway.GatewayUsage;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.errors.Refusal.Reason;
import org.chatrelay.gateway.limits.Admission;
import org.chatrelay.gateway.limits.KeyLimits;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 items 2 and 3 across nodes: two nodes (each its own connection pool, key cache and limits, as two app
 * instances have) on one embedded PostgreSQL, hammered at once from many threads. The rpm holds exactly, a budget is
 * overspent by at most one call's cost, and a revoke on one node holds on the other.
 */
class TwoNodesKeysIT {
    static final int THREADS_PER_NODE = 8;
    static Database dbA;
    static Database dbB;
    static Node a;
    static Node b;

    record Node(GatewayKeys keys, KeyLimits limits, DataSource ds, AtomicLong ticker) {
        static Node on(Database db, String name) {
            AtomicLong ticker = new AtomicLong();
            return new Node(new GatewayKeys(new KeyRepository(db.dataSource()), Clock.systemUTC(), ticker::get),
                    new KeyLimits(db.dataSource(), Clock.systemUTC(), name), db.dataSource(), ticker);
        }
    }

    @BeforeAll
    static void start() {
        String url = TestDb.postgresUrl("gateway_two_nodes");
        dbA = Database.open(url, null, null);
        dbB = Database.open(url, null, null);
        a = Node.on(dbA, "node-a");
        b = Node.on(dbB, "node-b");
    }

    @AfterAll
    static void stop() {
        dbA.close();
        dbB.close();
    }

    static VirtualKey key(Integer rpm, Long dailyMicros) {
        return a.keys().create(new KeySpec("hammered", null, List.of(), rpm, null, dailyMicros, null, null, false)).key();
    }

    /** Runs the body on THREADS_PER_NODE threads per node, all released at once. */
    static void hammer(ThrowingConsumer<Node> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS_PER_NODE; i++) {
            Node node = i % 2 == 0 ? a : b;
            done.add(pool.submit(() -> {
                go.await();
                body.accept(node);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void two_nodes_admit_exactly_the_rpm_between_them() throws Exception {
        VirtualKey key = key(20, null);
        AtomicInteger admitted = new AtomicInteger();
        Map<Reason, AtomicInteger> refused = new ConcurrentHashMap<>();
        hammer(node -> {
            for (int i = 0; i < 10; i++) {
                try {
                    node.limits().admit(key, false, 0).close();
                    admitted.incrementAndGet();
                } catch (Refusal r) {
                    refused.computeIfAbsent(r.reason(), x -> new AtomicInteger()).incrementAndGet();
                }
            }
        });
        System.out.printf("[TwoNodesKeysIT] rpm 20: %d admitted of %d attempts on two nodes, refused %s%n",
                admitted.get(), 2 * THREADS_PER_NODE * 10, refused);
        assertEquals(20, admitted.get(), "160 attempts within a minute");
        assertEquals(140, refused.get(Reason.RATE_LIMITED).get());
        assertEquals(1, refused.size(), refused.toString());
    }

    @Test
    void two_nodes_overspend_a_daily_budget_by_at_most_one_calls_cost() throws Exception {
        long budget = 1_000_000L;       // $1
        long maxCost = 100_000L;        // each call reserves what it may cost at most: $0.10
        VirtualKey key = key(null, budget);
        AtomicInteger calls = new AtomicInteger();
        hammer(node -> {
            for (int i = 0; i < 20; i++) {
                call(node, key, maxCost, calls);
            }
        });
        // Then on until the budget refuses with nothing in flight, so the figure below is the budget's doing.
        while (call(a, key, maxCost, calls)) {
            // next call
        }
        long spent = GatewayUsage.spent(a.ds(), key.id());
        System.out.printf("[TwoNodesKeysIT] daily budget $1.00, calls of up to $0.10 from 16 threads on two nodes: %d calls, spent $%.6f%n",
                calls.get(), spent / 1e6);
        assertTrue(spent >= budget, "the budget was reached: " + spent);
        assertTrue(spent <= budget + maxCost, "overspent by more than one call: " + spent);
        assertEquals(Reason.DAILY_BUDGET_SPENT, assertThrows(Refusal.class, () -> b.limits().admit(key, false, maxCost)).reason());
    }

    /** One gateway call as the endpoint makes it: admit, answer, store the usage row with its cost, let go. */
    static boolean call(Node node, VirtualKey key, long maxCost, AtomicInteger calls) throws Exception {
        Admission admission;
        try {
            admission = node.limits().admit(key, false, maxCost);
        } catch (Refusal r) {
            assertEquals(Reason.DAILY_BUDGET_SPENT, r.reason());
            return false;
        }
        try (admission) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5)); // the answer streams meanwhile
            GatewayUsage.insert(node.ds(), key.id(), Instant.now(), ThreadLocalRandom.current().nextLong(maxCost / 2, maxCost + 1));
            calls.incrementAndGet();
        }
        return true;
    }

    @Test
    void an_admission_with_every_limit_releases_its_claim_and_its_cost_is_printed() throws Exception {
        VirtualKey key = a.keys().create(new KeySpec("timed", null, List.of(), 100_000, 10, 1_000_000_000L, 1_000_000_000L, null, false)).key();
        int n = 300;
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (Admission ignored = (i % 2 == 0 ? a : b).limits().admit(key, true, 1_000)) {
                micros[i] = (System.nanoTime() - t0) / 1_000;
            }
        }
        java.util.Arrays.sort(micros);
        System.out.printf("[TwoNodesKeysIT] one admission with rpm, streams and both budgets on PostgreSQL: p50 %d µs, p90 %d µs (%d sequential)%n",
                micros[n / 2], micros[n * 9 / 10], n);
        assertEquals(0, GatewayUsage.count(a.ds(), "SELECT COUNT(*) FROM gateway_key_call WHERE key_id = ?", key.id()), "every claim let go");
        assertEquals(n, GatewayUsage.count(a.ds(), "SELECT COUNT(*) FROM gateway_key_request WHERE key_id = ?", key.id()), "the rpm window");
    }

    @Test
    void a_key_revoked_on_one_node_is_refused_by_the_others_admission_at_once_and_its_authentication_within_the_cache_ttl() {
        CreatedKey created = a.keys().create(new KeySpec("revoked elsewhere", null, List.of(), 100, null, null, null, null, false));
        VirtualKey onB = b.keys().authenticate("Bearer " + created.secret(), null);
        b.limits().admit(onB, false, 0).close();

        a.keys().revoke(created.key().id());

        assertEquals(Reason.REVOKED_KEY, assertThrows(Refusal.class, () -> b.limits().admit(onB, false, 0)).reason());
        b.keys().authenticate(null, created.secret()); // still cached on B
        b.ticker().addAndGet(GatewayKeys.CACHE_TTL.toNanos());
        assertEquals(Reason.REVOKED_KEY, assertThrows(Refusal.class, () -> b.keys().authenticate(null, created.secret())).reason());
    }
}
