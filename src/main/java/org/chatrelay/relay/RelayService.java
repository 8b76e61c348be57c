package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.GatewayFacts;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.routing.AttemptPlan;
import org.chatrelay.routing.Route;
import org.chatrelay.routing.Router;
import org.chatrelay.spool.DurableStore;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.ChatMessage;
import org.chatrelay.upstream.UpstreamClient;
import org.chatrelay.upstream.UpstreamTarget;

/**
 * Starts answers and owns what they share: the upstream client, the router (providers, limits, cooldowns), the
 * registry of live streams, the recorder.
 *
 * <p>Why this file is over 250 lines: it is the relay package's one public entry. The three ways to an answer (a
 * chat question, a gateway call, a resume joining a live one) each take a few lines over the same shared parts, and the package-private
 * accessors at the end are how a {@link RelayStream} reaches those parts without a lookup.
 */
public final class RelayService implements AutoCloseable {
    /** Under half the node's pool, so the recorder, checkpoints, resumes and reads keep connections while inserts run. */
    private static final int OPENER_THREADS = Database.POOL_SIZE / 2 - 1;
    /**
     * Room for a burst of new questions (ManyStreamsIT and the idle-streams benchmark open hundreds at once); how long
     * an insert may wait in it is bounded by {@link #OPENER_WAIT_NANOS}, not by its size.
     */
    private static final int OPENER_QUEUE = 1_000;
    /**
     * The longest an insert may wait for an opener thread, one pool timeout (Database's): an answer whose rows wait
     * longer is refused, instead of streaming (and being billed) for minutes with nothing of it recorded.
     */
    private static final long OPENER_WAIT_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int VIEWS_PER_READ = 1_000;
    /** Compiled once: {@code String.replaceAll} compiles its pattern on every call, once per answer. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private final AppConfig config;
    private final ObjectMapper json;
    private final UpstreamClient upstream;
    private final Router router;
    private final AnswerStore store;
    private final StreamRegistry registry;
    private final DurableStore durable;
    private final AnswerRecorder recorder;
    private final RelayLog log = new RelayLog();
    /**
     * Where new questions' rows are stored while they go upstream. Bounded both ways: a few threads (each holds one
     * pooled connection for one short transaction) and a queue whose overflow is a 503 at once, not a growing backlog.
     */
    private final ThreadPoolExecutor openers = new ThreadPoolExecutor(OPENER_THREADS, OPENER_THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(OPENER_QUEUE), openerThreads());
    /** The chat answers' checkpoints, the rows a resume reads, and the viewed stamps. */
    private final CheckpointRepository checkpoints;

    public RelayService(AppConfig config, ObjectMapper json, UpstreamClient upstream, Router router,
                        AnswerStore store, DurableStore durable, TokenEstimator estimator, PriceTable prices,
                        CheckpointRepository checkpoints) {
        this.config = config;
        this.json = json;
        this.upstream = upstream;
        this.router = router;
        this.store = store;
        this.registry = new StreamRegistry(config);
        this.durable = durable;
        this.checkpoints = checkpoints;
        this.recorder = new AnswerRecorder(durable, new UsageAccounting(estimator, prices), log);
    }

    /**
     * A question: stores the user's message, then starts the answer asynchronously. Throws {@code NotFoundException}
     * for a conversation the visitor does not own.
     *
     * <p>A new conversation's first question is stored while it already goes upstream (issue 18 item 3): its prompt is
     * the system prompt and the question, nothing the opening transaction reads, so the ids are made here and the insert
     * runs on {@link #openers}; the browser's 200 and {@code start} wait for the insert ({@link RelayStream#stored}),
     * and a failed insert aborts the provider request and answers 503 {@code storage_unavailable}, nothing recorded. A
     * question in an existing conversation stays sequential, as the rewrites do ({@link #startRewrite}): its prompt is the
     * history, which must be read in the transaction that proves ownership and row-locks the conversation (the seq of
     * the new messages depends on it), so the only overlap left would be the insert's commit after a second read of the
     * same rows.
     *
     * @param conversationId the conversation, or null for a new one
     * @param model          one of {@link #models()}, or null for the default
     * @param onEnded        run once the answer's end is stored, or once it is refused after it began (its insert
     *                       failed): gives back the visitor's stream slot, which the answer holds however long it
     *                       outlives its POST (a detached answer still generates). Not run when this method throws.
     * @throws IllegalArgumentException for a model no provider serves (nothing is stored)
     */
    public void startQuestion(HttpServletRequest request, String visitorId, String conversationId, String message, String model,
                              Runnable onEnded) {
        long startNanos = System.nanoTime();
        refuseWhileSpooling();
        Route route = router.route(model, visitorId);
        AnswerStart start = new AnswerStart(conversationId, visitorId, title(message), message,
                route.candidates().get(0).provider().name(), route.arm(), route.model(), config.nodeId(), Instant.now());
        if (conversationId == null) {
            AnswerIds ids = AnswerIds.fresh();
            CompletableFuture<Void> stored = storeConcurrently(start, ids);
            launch(request, chatAnswer(ids, visitorId, route, start, onEnded), new ChatDelivery(json, config.demo()), startNanos, stored);
        } else {
            AnswerIds ids = store.begin(start);
            launch(request, chatAnswer(ids, visitorId, route, start, onEnded), new ChatDelivery(json, config.demo()), startNanos,
                    CompletableFuture.completedFuture(null));
        }
    }

    /**
     * A regenerate, edit or continue of an answer in an existing conversation: {@code opener} (from
     * {@code AnswerRewrites}) opens its rows in one transaction with its checks and reads the history it is asked with,
     * before anything goes upstream. Throws {@code NotFoundException} for a conversation the visitor does not own.
     *
     * @param message the edited text, or null for a regenerate or a continue
     * @param onEnded as for {@link #startQuestion}
     * @throws IllegalArgumentException for a model no provider serves, or no conversation (nothing is stored)
     */
    public void startRewrite(HttpServletRequest request, String visitorId, String conversationId, String message, String model,
                             Function<AnswerStart, AnswerIds> opener, Runnable onEnded) {
        long startNanos = System.nanoTime();
        if (conversationId == null) {
            throw new IllegalArgumentException("a regenerate, edit or continue names its conversation");
        }
        refuseWhileSpooling();
        Route route = router.route(model, visitorId);
        AnswerStart start = new AnswerStart(conversationId, visitorId, message == null ? "" : title(message), message,
                route.candidates().get(0).provider().name(), route.arm(), route.model(), config.nodeId(), Instant.now());
        AnswerIds ids = opener.apply(start);
        launch(request, chatAnswer(ids, visitorId, route, start, onEnded), new ChatDelivery(json, config.demo()), startNanos,
                CompletableFuture.completedFuture(null));
    }

    private AnswerRequest chatAnswer(AnswerIds ids, String visitorId, Route route, AnswerStart start, Runnable onEnded) {
        return new AnswerRequest(ids, visitorId, route, prompt(ids, start), UUID.randomUUID().toString().substring(0, 8),
                CallOptions.chat(onEnded));
    }

    /** Answers are being spooled: refuse at once rather than let each new answer wait out the pool's timeout. */
    private void refuseWhileSpooling() {
        if (!durable.databaseAvailable()) {
            throw new PersistenceException("the database is unavailable (" + durable.spooled() + " answers spooled)");
        }
    }

    /** Runs the insert on {@link #openers}; a full queue refuses the answer now, before anything went upstream. */
    private CompletableFuture<Void> storeConcurrently(AnswerStart start, AnswerIds ids) {
        try {
            long queued = System.nanoTime();
            return CompletableFuture.runAsync(() -> {
                if (System.nanoTime() - queued > OPENER_WAIT_NANOS) {
                    throw new PersistenceException("cannot begin an answer: its insert waited over 5 s for an opener");
                }
                store.begin(start, ids);
            }, openers);
        } catch (RejectedExecutionException e) {
            throw new PersistenceException("cannot begin an answer: " + OPENER_QUEUE + " answers wait to be stored", e);
        }
    }

    /**
     * A gateway call: the same answer path as a chat answer (routing, retries, timers, storage, metrics) with the
     * client's own messages as the prompt and its dialect's delivery. Its rows are a one-message conversation of the
     * visitor {@code gateway:<key id>}, so the report and the retention rules see it like any answer. They are stored
     * while the call goes upstream; a failed insert is refused in the client's dialect (503, Anthropic's 529), the
     * provider request aborted, the key's claim given back and nothing recorded.
     *
     * @param stickyId what the canary arm is sticky on: the key and the client's end user, or the key alone
     * @throws IllegalArgumentException for a model no provider serves (nothing is stored)
     */
    public void startCall(HttpServletRequest request, GatewayFacts call, String stickyId, String model, List<ChatMessage> prompt,
                          CallOptions options, Delivery delivery) {
        long startNanos = System.nanoTime();
        refuseWhileSpooling();
        Route route = router.route(model, stickyId);
        String visitorId = "gateway:" + call.keyId();
        String question = options.storeContent() ? lastUserText(prompt) : "";
        AnswerStart start = new AnswerStart(null, visitorId, "Gateway call", question, route.candidates().get(0).provider().name(),
                route.arm(), route.model(), config.nodeId(), Instant.now(), call);
        // The prompt is the client's own messages: nothing the opening transaction reads, so the call's rows are stored
        // while it goes upstream, as a new conversation's first question is (startQuestion).
        AnswerIds ids = AnswerIds.fresh();
        CompletableFuture<Void> stored = storeConcurrently(start, ids);
        AnswerRequest answer = new AnswerRequest(ids, visitorId, route, prompt, UUID.randomUUID().toString().substring(0, 8), options);
        launch(request, answer, delivery, startNanos, stored);
    }

    /**
     * Goes asynchronous and starts the answer's stream, which the registry then ticks; the stream opens to the client
     * only once {@code stored} completed (the answer's rows exist), and is refused if it failed.
     */
    private void launch(HttpServletRequest request, AnswerRequest answer, Delivery delivery, long startNanos,
                        CompletableFuture<Void> stored) {
        AsyncContext async = request.startAsync();
        // A safety net above our own per-answer limit, which the registry's ticker enforces.
        async.setTimeout(config.maxAnswer().toMillis() + 30_000);
        RelayStream stream = new RelayStream(this, answer, async, delivery, startNanos,
                new AttemptPlan(answer.route(), () -> ThreadLocalRandom.current().nextDouble()));
        async.addListener(stream);
        registry.add(stream);
        stream.start();
        stored.whenComplete((done, failure) -> stream.stored(failure));
    }

    /**
     * Every provider a call of this model and sticky id may reach, fallbacks included: the route {@link #startCall} will
     * take (routing is a pure function of the configuration, the model and the sticky id).
     */
    public Route route(String model, String stickyId) {
        return router.route(model, stickyId);
    }

    private static String lastUserText(List<ChatMessage> prompt) {
        for (int i = prompt.size() - 1; i >= 0; i--) {
            if ("user".equals(prompt.get(i).role())) {
                return prompt.get(i).content();
            }
        }
        return "";
    }

    /**
     * Starts writing this node's chat answers' checkpoints (unless nothing is stored) and returns the resume endpoint's
     * service, which reads them; the caller closes it.
     */
    public Resumes resumes() {
        Checkpoints written = store.persistent()
                ? new Checkpoints(registry::checkpointsDue, checkpoints::checkpoint, this::readViews, config.checkpointEvery()) : null;
        StoredAnswers stored = new StoredAnswers(checkpoints, json, config.checkpointEvery(), config.heartbeat(), config.detachedGrace());
        return new Resumes(registry, stored, config.maxAnswer(), written);
    }

    /**
     * Reads, in one query, when viewers on other nodes last stamped this node's detached answers (their polls stamp the
     * row), so the ticker can keep a watched answer past its grace without a database read of its own. Run on the
     * checkpoint thread; skipped while the database is unavailable (a detached answer then ends after its grace).
     */
    void readViews() {
        if (!durable.databaseAvailable()) {
            return;
        }
        List<RelayStream> detached = registry.detached();
        if (detached.isEmpty()) {
            return;
        }
        // In slices: PostgreSQL binds at most 65,535 parameters to one statement.
        for (int from = 0; from < detached.size(); from += VIEWS_PER_READ) {
            List<RelayStream> slice = detached.subList(from, Math.min(detached.size(), from + VIEWS_PER_READ));
            long readNanos = System.nanoTime();
            Map<String, Duration> ago = checkpoints.viewedAgo(slice.stream().map(s -> s.answer().ids().assistantMessageId()).toList());
            for (RelayStream s : slice) {
                Duration a = ago.get(s.answer().ids().assistantMessageId());
                if (a != null) {
                    s.viewedElsewhere(a, readNanos);
                }
            }
        }
    }

    /** The user pressed Stop: true when the answer was live on this node and belonged to the visitor. */
    public boolean stop(String messageId, String visitorId) {
        Optional<RelayStream> s = registry.find(messageId, visitorId);
        s.ifPresent(RelayStream::stopByUser);
        return s.isPresent();
    }

    /** Metrics hook: told about each answer once it is stored (never per token). */
    public void observe(RelayObserver observer) {
        recorder.observe(observer);
    }

    /**
     * Shutdown: ends every answer still live on this node as {@code interrupted} (stored, then a terminal
     * {@code error} event, code {@code shutting_down}). Returns how many were ended.
     */
    public int interruptAll() {
        List<RelayStream> live = registry.snapshot();
        live.forEach(RelayStream::interruptForShutdown);
        return live.size();
    }

    /** False while finished answers go to the spool because the database is unavailable. */
    public boolean storageAvailable() {
        return durable.databaseAvailable();
    }

    public int activeStreams() {
        return registry.active();
    }

    /** The default model's main provider: what the page names. */
    public UpstreamTarget target() {
        return router.defaultTarget();
    }

    /** The models a visitor may ask for, the default first. */
    public List<String> models() {
        List<String> out = new ArrayList<>(List.of(router.defaultModel()));
        router.models().stream().filter(m -> !m.equals(router.defaultModel())).forEach(out::add);
        return out;
    }

    /** System prompt, then the latest messages of the conversation, ending with the new user message. */
    private List<ChatMessage> prompt(AnswerIds ids, AnswerStart start) {
        List<ChatMessage> out = new ArrayList<>();
        config.systemPrompt().ifPresent(p -> out.add(new ChatMessage("system", p)));
        // Read by the opener in its own transaction where it could (so a failed read leaves no placeholder behind).
        List<Message> history = ids.history() != null ? ids.history() : store.history(ids, start);
        int from = Math.max(0, history.size() - config.historyTurns() * 2);
        for (Message m : history.subList(from, history.size())) {
            // Skip the placeholder of this answer and empty answers (failed before any text).
            if (!m.id().equals(ids.assistantMessageId()) && !m.content().isEmpty()) {
                out.add(new ChatMessage(m.role(), m.content()));
            }
        }
        return out;
    }

    private static ThreadFactory openerThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "answer-opener-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static String title(String message) {
        String oneLine = WHITESPACE.matcher(message.strip()).replaceAll(" ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 59) + "…";
    }

    AppConfig config() {
        return config;
    }

    UpstreamClient upstream() {
        return upstream;
    }

    Router router() {
        return router;
    }

    StreamRegistry registry() {
        return registry;
    }

    AnswerRecorder recorder() {
        return recorder;
    }

    RelayLog log() {
        return log;
    }

    @Override
    public void close() throws Exception {
        registry.close();
        openers.shutdown();
        recorder.close();
    }
}
