package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No thread is held per open stream: 500 slow streams, held open together by the fake upstream, all make progress
 * on a server whose thread pool is capped at 24 threads (and an upstream client capped at 16).
 */
class ManyStreamsIT {
    static final int STREAMS = 500;
    static final int MAX_THREADS = 24;
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("many-streams").threads(MAX_THREADS).settings(Map.of(
            // One visitor opens all 500 streams: the per-visitor and per-address limits would refuse most.
            "chatrelay.max.streams.per.visitor", "0",
            "chatrelay.rate.limit.per.minute", "0",
            "chatrelay.rate.limit.per.address.per.minute", "0"));

    @Test
    void five_hundred_slow_streams_progress_together_on_24_threads() throws Exception {
        ChatClient visitor = new ChatClient(app.base()).open();
        long heapBefore = usedHeapAfterGc();
        HttpClient http = visitor.http();
        List<Counter> counters = new ArrayList<>();
        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            Counter c = new Counter();
            counters.add(c);
            // A token every 200 ms until the test releases them: all 500 are open at once however slowly a loaded
            // machine opens them (a fixed length let the first streams end before the last had started).
            HttpRequest req = visitor.post("api/chat", ChatClient.body(null, "stream " + i + " [held:0:200]")).build();
            responses.add(http.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(c)));
        }
        awaitAll(counters, c -> c.tokens.get() >= 1, 60_000, "every stream received its first token");
        int[] first = snapshot(counters);
        int threadsAtPeak = app.server.pool.getThreads();
        long heapOpen = usedHeapAfterGc();
        Thread.sleep(1000);
        int[] second = snapshot(counters);
        int progressed = 0;
        for (int i = 0; i < STREAMS; i++) {
            if (second[i] > first[i]) {
                progressed++;
            }
        }
        System.out.printf("[ManyStreamsIT] %d streams open: %d progressed within 1 s, server threads %d (max %d), "
                        + "used heap %.1f MB before, %.1f MB with the streams open (%.1f KB per stream, whole test JVM)%n",
                STREAMS, progressed, threadsAtPeak, app.server.pool.getMaxThreads(), heapBefore / 1e6, heapOpen / 1e6,
                (heapOpen - heapBefore) / 1e3 / STREAMS);
        assertEquals(MAX_THREADS, app.server.pool.getMaxThreads());
        assertTrue(threadsAtPeak <= MAX_THREADS);
        // Every one of them gets another token while all are held open: with a thread per stream, 24 threads would
        // serve 24 streams and the other 476 would wait for ever. The one second above is the figure printed.
        awaitProgress(counters, second, 30_000);
        assertEquals(0, counters.stream().filter(c -> c.done.get() > 0).count(), "streams ended before the test released them");
        app.upstream.releaseHeld();
        for (CompletableFuture<HttpResponse<Void>> r : responses) {
            assertEquals(200, r.get(60, TimeUnit.SECONDS).statusCode());
        }
        awaitAll(counters, c -> c.done.get() == 1, 30_000, "every stream ended with done");
    }

    private static void awaitProgress(List<Counter> counters, int[] since, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            int behind = 0;
            for (int i = 0; i < since.length; i++) {
                if (counters.get(i).tokens.get() <= since[i]) {
                    behind++;
                }
            }
            if (behind == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(behind + " of " + since.length + " streams received no token in " + millis
                        + " ms while all were open");
            }
            Thread.sleep(50);
        }
    }

    private static int[] snapshot(List<Counter> counters) {
        int[] out = new int[counters.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counters.get(i).tokens.get();
        }
        return out;
    }

    private static void awaitAll(List<Counter> counters, java.util.function.Predicate<Counter> ok, long millis, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!counters.stream().allMatch(ok)) {
            if (System.nanoTime() > deadline) {
                long n = counters.stream().filter(ok).count();
                throw new AssertionError(what + ": only " + n + " of " + counters.size() + " within " + millis + " ms");
            }
            Thread.sleep(50);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Counts the events of one stream as lines arrive; runs on the client's executor, no thread per stream. */
    static final class Counter implements Flow.Subscriber<String> {
        final AtomicInteger tokens = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.equals("event: token")) {
                tokens.incrementAndGet();
            } else if (line.equals("event: done")) {
                done.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
