package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.PriceTable;
import org.chatrelay.config.ProvidersConfig;
import org.chatrelay.config.Settings;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.routing.ProviderGate;
import org.chatrelay.routing.Router;
import org.chatrelay.spool.AnswerSpool;
import org.chatrelay.spool.DurableStore;
import org.chatrelay.spool.SpoolConfig;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Reply;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.UpstreamClient;
import org.junit.jupiter.api.Test;

/**
 * Races of the relay made deterministic: the relay's own service, router and upstream client against a real fake
 * provider; only the browser side is a stand-in. Stop with a queue hand-over: the routing timer (which hands a freed
 * place to the next waiter) is held still while the waiting answer is stopped.
 */
class StopWhileQueuedTest {

    /** The relay's service, router and upstream client on one provider 'gated' (one stream at once) of a fake provider. */
    interface Body {
        void run(FakeUpstream upstream, Router router, RelayService relay) throws Exception;
    }

    static void withRelay(String dir, Body body) throws Exception {
        withRelay(dir, off -> off, body);
    }

    /** @param store the answer store the relay uses, made from the one of {@code CHATRELAY_PERSISTENCE=off} */
    static void withRelay(String dir, UnaryOperator<AnswerStore> store, Body body) throws Exception {
        withRelay(dir, Map.of(), store, body);
    }

    /** @param settings more settings of the relay's configuration (a grace, a checkpoint interval) */
    static void withRelay(String dir, Map<String, String> settings, UnaryOperator<AnswerStore> store, Body body) throws Exception {
        withRelay(dir, settings, store, new CheckpointRepository(NO_DATABASE), body);
    }

    /** A database no test of a relay without persistence should reach: every call fails. */
    static final DataSource NO_DATABASE = (DataSource) Proxy.newProxyInstance(StopWhileQueuedTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class}, (p, method, args) -> {
                throw new SQLException("no database in this test");
            });

    /** @param checkpoints the rows resumes read and the viewed stamps come from */
    static void withRelay(String dir, Map<String, String> settings, UnaryOperator<AnswerStore> store, CheckpointRepository checkpoints,
                          Body body) throws Exception {
        try (FakeUpstream upstream = new FakeUpstream()) {
            Path providers = ProvidersFiles.write(ProvidersFiles.dir(dir), "providers.json", """
                    {'providers': [{'name': 'gated', 'baseUrl': '%s', 'models': [{'name': 'gated'}], 'maxConcurrentStreams': 1,
                      'queue': {'size': 4, 'maxWaitMs': 30000}, 'retry': {'maxAttempts': 1}}]}
                    """.formatted(upstream.baseUrl()));
            Map<String, String> all = new HashMap<>(settings);
            all.put("CHATRELAY_PROVIDERS_FILE", providers.toString());
            all.putIfAbsent("CHATRELAY_PERSISTENCE", "off");
            Settings relaySettings = Settings.of(all);
            AppConfig config = AppConfig.from(relaySettings);
            ObjectMapper json = new ObjectMapper();
            AnswerStore answers = store.apply(AnswerStore.from(relaySettings, null, null));
            try (Router router = new Router(ProvidersConfig.from(config, name -> Optional.empty()));
                 UpstreamClient client = new UpstreamClient(json, Duration.ofSeconds(2), 4);
                 DurableStore durable = new DurableStore(answers::finishAll, () -> true,
                         new AnswerSpool(new SpoolConfig(Files.createTempDirectory(dir + "-spool"), 1 << 20), json));
                 RelayService relay = new RelayService(config, json, client, router, answers, durable,
                         new TokenEstimator(), PriceTable.load(json, Optional.empty()), checkpoints)) {
                body.run(upstream, router, relay);
            }
        }
    }

    @Test
    void a_place_handed_over_to_an_answer_stopped_while_it_queued_starts_no_request_and_goes_back_at_once() throws Exception {
        withRelay("stop-while-queued", (upstream, router, relay) -> {
            upstream.plan("hold", Reply.stream("forever", 0, 50));
            upstream.plan("queued", Reply.ok());
            ProviderGate gate = router.providers().get(0).gate();
            Browser holder = new Browser();
            relay.startQuestion(holder.request(), "v1", null, "hold the place [plan:hold]", "gated", () -> { });
            await(() -> holder.text().contains("event: token"), "the first answer streams");
            RelayStream holding = relay.registry().snapshot().get(0);
            Browser waiter = new Browser();
            relay.startQuestion(waiter.request(), "v2", null, "wait [plan:queued]", "gated", () -> { });
            await(() -> gate.waiting() == 1, "the second answer waits in the queue");
            RelayStream waiting = relay.registry().snapshot().stream().filter(s -> s != holding).findFirst().orElseThrow();

            // Hold the routing timer, so the place the first answer frees is handed over only after the Stop.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            router.timer().execute(() -> {
                held.countDown();
                awaitQuietly(go);
            });
            assertTrue(held.await(5, TimeUnit.SECONDS));
            holding.stopByUser();
            await(() -> gate.waiting() == 0, "the freed place is on its way to the waiting answer");
            waiting.stopByUser();
            await(() -> waiter.text().contains("event: done"), "the stopped answer's terminal event");
            go.countDown();
            router.timer().submit(() -> { }).get(5, TimeUnit.SECONDS);

            assertEquals(0, gate.active(), "the place handed to a stopped answer was kept");
            assertEquals(0, upstream.requestsFor("queued"), "a stopped answer reached the provider");
            assertTrue(waiter.text().contains("\"endReason\":\"user_stop\""), waiter.text());
            assertEquals(1, waiter.text().split("event: done", -1).length - 1, waiter.text());
        });
    }

    /**
     * Once an answer has ended, what its provider still sends (the end of the response after the terminator) must be
     * read, never parked: a parked read held the provider's place and its connection until FINISH_GRACE_MS aborted
     * the request. Under load the answer can be stored and its browser stream closed before the reading thread asks
     * whether to read on — the stream's sink refuses once closed, so the question must not go to the sink.
     */
    @Test
    void an_ended_answer_still_reads_what_its_provider_sends_after_the_terminator() throws Exception {
        withRelay("ended-reads-on", (upstream, router, relay) -> {
            upstream.plan("short", Reply.stream("slow", 2, 50));
            Browser browser = new Browser();
            relay.startQuestion(browser.request(), "v1", null, "a short answer [plan:short]", "gated", () -> { });
            RelayStream answer = relay.registry().snapshot().get(0);
            await(() -> browser.completed, "the answer's terminal event, and its browser stream closed");
            assertTrue(browser.text().contains("event: done"), browser.text());
            assertTrue(answer.readyForMore(), "an ended answer parks its provider's response");
        });
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The browser's side of one answer: what was written to it, through an output stream that is always ready. */
    static final class Browser extends ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** The relay completed the request: its browser stream is closed. */
        volatile boolean completed;
        /** The last status set on the response (0: none). */
        volatile int status;
        /**
         * The container completed the request (an error dispatch after the browser left): as Jetty's, its async context
         * and output stream then refuse a listener with IllegalStateException.
         */
        volatile boolean completedByContainer;
        /** Run when a listener is added to the request (a moment inside a viewer's joining). */
        volatile Runnable onAddListener = () -> { };
        private final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();
        private AsyncContext async;

        HttpServletRequest request() {
            HttpServletResponse response = proxy(HttpServletResponse.class, (name, args) -> {
                if (name.equals("setStatus")) {
                    status = (Integer) args[0];
                }
                return name.equals("getOutputStream") ? this : null;
            });
            AsyncContext async = proxy(AsyncContext.class, (name, args) -> {
                if (name.equals("complete")) {
                    completed = true;
                }
                if (name.equals("addListener")) {
                    if (completedByContainer) {
                        throw new IllegalStateException("AsyncContext completed and/or Request lifecycle recycled");
                    }
                    listeners.add((AsyncListener) args[0]);
                    onAddListener.run();
                }
                return name.equals("getResponse") ? response : null;
            });
            this.async = async;
            return proxy(HttpServletRequest.class, (name, args) -> name.equals("startAsync") ? async : null);
        }

        /**
         * The browser left (an h2 RST_STREAM): as Jetty's, the container's error dispatch tells each of the request's
         * listeners, and, since none completed the request, the container completes it and tells them that.
         */
        void leave() {
            AsyncEvent event = new AsyncEvent(async, new IOException("the browser reset the stream"));
            try {
                for (AsyncListener l : listeners) {
                    l.onError(event);
                }
                completedByContainer = true;
                for (AsyncListener l : listeners) {
                    l.onComplete(event);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            if (completedByContainer) {
                throw new IllegalStateException("the request is completed");
            }
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }
    }

    interface Answer {
        Object of(String method, Object[] args);
    }

    /** A stand-in for a servlet interface: the named methods answer, every other call does nothing. */
    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(StopWhileQueuedTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> method.getReturnType() == boolean.class ? Boolean.FALSE
                        : method.getReturnType() == int.class ? Integer.valueOf(0)
                        : method.getReturnType() == long.class ? Long.valueOf(0) : answer.of(method.getName(), args));
    }
}
