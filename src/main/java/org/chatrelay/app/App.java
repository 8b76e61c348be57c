package org.chatrelay.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.admin.Admin;
import org.chatrelay.admin.AdminConfig;
import org.chatrelay.admin.auth.LoginOriginFilter;
import org.chatrelay.admin.auth.LoginServlet;
import org.chatrelay.admin.conversations.ConversationsServlet;
import org.chatrelay.admin.csv.CsvServlet;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.admin.web.ReportServlet;
import org.chatrelay.cluster.RemoteStop;
import org.chatrelay.cluster.StaleAnswerSweeper;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.ModelCatalog;
import org.chatrelay.config.PriceTable;
import org.chatrelay.config.ProviderConfig;
import org.chatrelay.config.ProviderModel;
import org.chatrelay.config.ProvidersConfig;
import org.chatrelay.config.Settings;
import org.chatrelay.gateway.Gateway;
import org.chatrelay.gateway.admin.KeysApiServlet;
import org.chatrelay.gateway.admin.KeysPageServlet;
import org.chatrelay.gateway.admin.MasterKeyFilter;
import org.chatrelay.gateway.MasterKey;
import org.chatrelay.gateway.admin.KeyUsageRepository;
import org.chatrelay.gateway.api.FeedbackServlet;
import org.chatrelay.gateway.api.GatewayCalls;
import org.chatrelay.gateway.api.GatewayServlet;
import org.chatrelay.gateway.api.ModelsServlet;
import org.chatrelay.http.Templates;
import org.chatrelay.http.TrustedProxies;
import org.chatrelay.limits.LimitsConfig;
import org.chatrelay.limits.VisitorLimits;
import org.chatrelay.markdown.MarkdownRenderer;
import org.chatrelay.ops.GracefulShutdown;
import org.chatrelay.ops.HealthServlet;
import org.chatrelay.ops.Metrics;
import org.chatrelay.ops.MetricsServlet;
import org.chatrelay.ops.OpsConfig;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.ClientMetricsRepository;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.FeedbackRepository;
import org.chatrelay.persistence.HistoryRepository;
import org.chatrelay.persistence.SecretRepository;
import org.chatrelay.persistence.StopRequestRepository;
import org.chatrelay.persistence.ThinkingRepository;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.VisitorUsageRepository;
import org.chatrelay.persistence.AnswerRewrites;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.relay.RelayService;
import org.chatrelay.relay.Resumes;
import org.chatrelay.relay.AnswerStore;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.routing.Router;
import org.chatrelay.spool.AnswerSpool;
import org.chatrelay.spool.DurableStore;
import org.chatrelay.spool.SpoolConfig;
import org.chatrelay.upstream.UpstreamClient;
import org.chatrelay.upstream.demo.DemoUpstream;
import org.chatrelay.web.ChatPageServlet;
import org.chatrelay.web.ChatServlet;
import org.chatrelay.web.ConversationApiServlet;
import org.chatrelay.web.CorsFilter;
import org.chatrelay.web.CorsPolicy;
import org.chatrelay.web.CsrfTokens;
import org.chatrelay.web.MessageApiServlet;
import org.chatrelay.web.Signer;
import org.chatrelay.web.StopServlet;
import org.chatrelay.web.Transcripts;
import org.chatrelay.web.VisitorCookie;
import org.chatrelay.web.VisitorFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wiring point: builds configuration, database, upstream client and relay by hand (no container, no
 * scanning), then each servlet and filter with what it uses, and registers them. Closes them in reverse order.
 *
 * <p>Why this file is over 250 lines: it is the composition root, a list of constructor calls in start-up order.
 * Split by area, the order that matters (the spool replayed before open answers are marked interrupted, the stop drain
 * owned last so that it closes first, while the rest still serves) would be spread over files that each see part of it.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    /** How many conversations the sidebar and GET /api/conversations list, newest first. */
    private static final int LIST_LIMIT = 50;

    private final AppConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Database database;
    private final ConversationRepository conversations;
    private final AnswerRepository answers;
    private final CsrfTokens csrf;
    private final VisitorCookie visitorCookie;
    private final TrustedProxies trustedProxies;
    private final RelayService relay;
    private final Resumes resumes;
    private final Templates templates;
    private final Metrics metrics;
    private final RemoteStop remoteStop;
    private final VisitorLimits limits;
    private final CorsPolicy cors;
    private final HistoryRepository history;
    private final AnswerRewrites rewrites;
    private final ClientMetricsRepository clientMetrics;
    private final FeedbackRepository feedback;
    private final ThinkingRepository thinking;
    private final ModelCatalog models;
    private final MarkdownRenderer markdown = new MarkdownRenderer();
    private final Admin admin;
    private final Gateway gateway;
    private final GatewayCalls gatewayCalls;
    private final KeyUsageRepository keyUsage;
    private volatile boolean draining;

    private App(ServletContext context, AppConfig config, Settings settings, OpsConfig ops, AdminConfig adminConfig) throws Exception {
        this.config = config;
        TokenEstimator estimator = new TokenEstimator();
        // Read before anything starts, so a bad providers file stops start-up with its message and nothing to undo.
        ProvidersConfig providers = config.demo() ? null : ProvidersConfig.from(config, settings::get);
        LimitsConfig limitsConfig = LimitsConfig.from(settings);
        Optional<MasterKey> masterKey = MasterKey.from(settings);
        cors = CorsPolicy.from(settings);
        trustedProxies = TrustedProxies.from(settings);
        database = own(Database.open(config.dbUrl(), config.dbUser(), config.dbPassword()));
        conversations = new ConversationRepository(database.dataSource());
        answers = new AnswerRepository(database.dataSource());
        AnswerStore store = AnswerStore.from(settings, answers, conversations);
        SpoolConfig spoolConfig = SpoolConfig.from(settings, config.nodeId());
        DurableStore durable = own(new DurableStore(store::finishAll, database::isReady, new AnswerSpool(spoolConfig, json)));
        // Before the answers this node left open are marked interrupted: those the spool holds were finished.
        int replayed = durable.replay();
        if (replayed > 0) {
            LOG.warn("stored {} answers spooled while the database was unavailable", replayed);
        }
        durable.replayEvery(Duration.ofSeconds(1));
        LOG.info("answer spool: {} (at most {} MiB)", spoolConfig.dir().toAbsolutePath(), spoolConfig.maxBytes() >> 20);
        int interrupted = answers.markInterrupted(config.nodeId(), Instant.now().minus(config.maxAnswer().multipliedBy(2)));
        if (interrupted > 0) {
            LOG.warn("marked {} answers left mid-stream by an earlier stop as interrupted", interrupted);
        }
        // One secret signs both the CSRF tokens and the visitor cookie (Signer keeps the two apart).
        Signer signer = new Signer(new SecretRepository(database.dataSource()).getOrCreate("csrf"));
        csrf = new CsrfTokens(signer);
        visitorCookie = new VisitorCookie(signer);
        limits = new VisitorLimits(limitsConfig, new VisitorUsageRepository(database.dataSource())::tokensSince, Clock.systemUTC());
        LOG.info("limits per visitor: {} chats/min, {} streams at once, {} tokens/day; {} chats/min per address"
                        + " (X-Forwarded-For believed from {}); cross-origin: {}",
                limitsConfig.perVisitorPerMinute(), limitsConfig.streamsPerVisitor(), limitsConfig.dailyTokens(),
                limitsConfig.perAddressPerMinute(), trustedProxies, cors.origins().isEmpty() ? "none" : cors.origins());
        if (providers == null) {
            DemoUpstream demo = own(new DemoUpstream(json, estimator::count, estimator::countPrompt));
            providers = ProvidersConfig.demo(demo.baseUrl(), DemoUpstream.MODEL, config);
            LOG.info("no CHATRELAY_UPSTREAM_URL or CHATRELAY_PROVIDERS_FILE set: answering with the built-in offline demo upstream at {}",
                    demo.baseUrl());
        }
        for (ProviderConfig p : providers.providers()) {
            LOG.info("provider {}: {} {} models={} maxStreams={} ({})", p.name(), p.dialect().code(), p.baseUrl(),
                    p.models().stream().map(ProviderModel::name).toList(), p.maxConcurrentStreams(), p.key());
        }
        PriceTable prices = PriceTable.load(json, config.pricesFile()).with(providers.prices());
        Router router = own(new Router(providers));
        Duration connect = providers.providers().stream().map(p -> p.timeouts().connect()).max(Duration::compareTo).orElseThrow();
        UpstreamClient client = own(new UpstreamClient(json, connect, 16));
        relay = own(new RelayService(config, json, client, router, store, durable, estimator, prices,
                new CheckpointRepository(database.dataSource())));
        resumes = own(relay.resumes());
        templates = new Templates(context);
        history = new HistoryRepository(database.dataSource());
        rewrites = new AnswerRewrites(database.dataSource());
        clientMetrics = new ClientMetricsRepository(database.dataSource());
        feedback = new FeedbackRepository(database.dataSource());
        thinking = new ThinkingRepository(database.dataSource());
        models = ModelCatalog.of(relay.models(), prices, providers.thinkingModels());
        admin = own(Admin.start(adminConfig, database.dataSource(), Clock.systemUTC()));
        // ----- Gateway (issue 15): virtual keys, their limits in the shared database, the admin API's master key.
        gateway = Gateway.start(masterKey, database.dataSource(), Clock.systemUTC(), config.nodeId());
        LOG.info("gateway keys: admin API at /admin/api/keys {}", gateway.masterKey().isPresent()
                ? "open to the master key" : "off (no CHATRELAY_GATEWAY_MASTER_KEY)");
        gatewayCalls = new GatewayCalls(gateway, relay, prices, estimator, json);
        keyUsage = new KeyUsageRepository(database.dataSource());
        // ----- end of gateway
        // Production: metrics, what the nodes of one deployment share, and the stop drain (closed first).
        metrics = own(new Metrics(database.dataSource(), relay::activeStreams, this::draining));
        metrics.gates(router.providers());
        relay.observe(metrics);
        StopRequestRepository stops = new StopRequestRepository(database.dataSource());
        remoteStop = own(new RemoteStop(stops, relay, config.nodeId(), Duration.ofSeconds(1)));
        own(new StaleAnswerSweeper(answers, stops, config.maxAnswer(), Duration.ofMinutes(5)));
        own(new GracefulShutdown(relay, () -> draining = true, ops.shutdownGrace()));
    }

    public static App start(ServletContext context, Settings settings) throws Exception {
        App app = new App(context, AppConfig.from(settings), settings, OpsConfig.from(settings), AdminConfig.from(settings));
        try {
            app.register(new Registrar(context));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * Each servlet and filter built with exactly what it uses. web.xml declares, and so runs first, what needs nothing
     * from the application (security headers, the method filter, the error page, logout); the filters here follow in
     * the order web.xml had them: cors, visitor, loginOrigin.
     */
    private void register(Registrar web) {
        List<String> endReasons = Arrays.stream(EndReason.values()).map(EndReason::code).toList();
        AdminPages adminPages = new AdminPages(templates, endReasons);
        Transcripts transcripts = new Transcripts(conversations, answers, clientMetrics, history, feedback, thinking, markdown);
        web.filter("cors", new CorsFilter(cors), true, "/*");
        web.filterServlets("visitor", new VisitorFilter(csrf, visitorCookie, cors), true,
                "chatPage", "chat", "stop", "conversationApi", "messageApi");
        web.filterServlets("loginOrigin", new LoginOriginFilter(adminPages), false, "login", "logout", "adminKeys");
        // The only door to the key admin API: web.xml leaves /admin/api/* out of the FORM login.
        web.filter("masterKey", new MasterKeyFilter(gateway.masterKey()), false, "/admin/api/*");

        web.servlet("chatPage", new ChatPageServlet(templates, transcripts, conversations, models, config.demo(), LIST_LIMIT),
                "", "/c/*");
        web.servlet("chat", new ChatServlet(json, config.maxBodyBytes(), config.maxMessageChars(), models, this::draining,
                limits, trustedProxies, relay, rewrites, history, conversations), "/api/chat").setAsyncSupported(true);
        web.servlet("stop", new StopServlet(json, relay, remoteStop), "/api/chat/stop");
        web.servlet("conversationApi", new ConversationApiServlet(json, transcripts, conversations, history, models, LIST_LIMIT),
                "/api/conversations/*");
        web.servlet("messageApi", new MessageApiServlet(json, history, markdown, clientMetrics, feedback, resumes), "/api/messages/*")
                .setAsyncSupported(true);

        // Operations: not behind the visitor filter (no cookie).
        web.servlet("health", new HealthServlet(this::draining, relay, database), "/healthz", "/readyz");
        web.servlet("metrics", new MetricsServlet(metrics), "/metrics");

        web.servlet("login", new LoginServlet(adminPages, admin.throttle(), trustedProxies), "/login");
        web.servlet("adminReport", new ReportServlet(adminPages, admin.reports(), endReasons, this::keyNames), "/admin", "/admin/");
        web.servlet("adminCsv", new CsvServlet(adminPages, admin.reports(), admin.dataSource()), "/admin/export/*");
        web.servlet("adminConversations", new ConversationsServlet(adminPages, admin.conversations(), conversations, answers,
                clientMetrics, thinking), "/admin/conversations/*");
        web.servlet("adminKeys", new KeysPageServlet(adminPages, gateway.keys(), keyUsage), "/admin/keys", "/admin/keys/*");
        // The gateway (issue 15): its own keys, not the visitor filter's cookie.
        web.servlet("gateway", new GatewayServlet(json, gatewayCalls), "/v1/chat/completions", "/v1/messages").setAsyncSupported(true);
        web.servlet("gatewayModels", new ModelsServlet(json, gatewayCalls), "/v1/models");
        web.servlet("gatewayFeedback", new FeedbackServlet(json, gatewayCalls, feedback, Clock.systemUTC()), "/v1/feedback");
        web.servlet("adminKeysApi", new KeysApiServlet(json, gateway.keys()), "/admin/api/keys/*");
    }

    /** Gateway keys by id, named as the keys page lists them (prefix and name): the report's key filter and breakdown. */
    private Map<String, String> keyNames() {
        Map<String, String> names = new LinkedHashMap<>();
        gateway.keys().list().forEach(k -> names.put(k.id(), k.prefix() + "… " + k.name()));
        return names;
    }

    private <T extends AutoCloseable> T own(T resource) {
        closeables.push(resource);
        return resource;
    }

    /** True once the node is stopping: new chats get 503 and /readyz says so. */
    private boolean draining() {
        return draining;
    }

    @Override
    public void close() {
        draining = true;
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("error while closing {}", c.getClass().getSimpleName(), e);
            }
        }
    }
}
