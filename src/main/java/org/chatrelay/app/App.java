package org.chatrelay.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.chatrelay.admin.Admin;
import org.chatrelay.admin.AdminConfig;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.ApiKeySource;
import org.chatrelay.config.PriceTable;
import org.chatrelay.config.Settings;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.SecretRepository;
import org.chatrelay.persistence.TurnRepository;
import org.chatrelay.relay.RelayService;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.UpstreamClient;
import org.chatrelay.upstream.UpstreamTarget;
import org.chatrelay.upstream.demo.DemoUpstream;
import org.chatrelay.web.CsrfTokens;
import org.chatrelay.web.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wiring point: builds configuration, database, upstream client and relay by hand (no container, no
 * scanning) and keeps them where servlets find them. Closes them in reverse order.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final String ATTRIBUTE = App.class.getName();

    private final AppConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Database database;
    private final ConversationRepository conversations;
    private final TurnRepository turns;
    private final CsrfTokens csrf;
    private final RelayService relay;
    private final Templates templates;
    private final Admin admin;
    private volatile boolean draining;

    private App(ServletContext context, AppConfig config, AdminConfig adminConfig) throws Exception {
        this.config = config;
        TokenEstimator estimator = new TokenEstimator();
        PriceTable prices = PriceTable.load(json, config.pricesFile());
        database = own(Database.open(config.dbUrl(), config.dbUser(), config.dbPassword()));
        conversations = new ConversationRepository(database.dataSource());
        turns = new TurnRepository(database.dataSource());
        int interrupted = turns.markInterrupted(config.nodeId(), Instant.now().minus(config.maxTurn().multipliedBy(2)));
        if (interrupted > 0) {
            LOG.warn("marked {} answers left mid-stream by an earlier stop as interrupted", interrupted);
        }
        csrf = new CsrfTokens(new SecretRepository(database.dataSource()).getOrCreate("csrf"));
        UpstreamTarget target;
        if (config.demo()) {
            DemoUpstream demo = own(new DemoUpstream(json, estimator));
            target = new UpstreamTarget("demo", demo.baseUrl(), ApiKeySource.none(), DemoUpstream.MODEL);
            LOG.info("no CHATRELAY_UPSTREAM_URL set: answering with the built-in offline demo upstream at {}", demo.baseUrl());
        } else {
            target = new UpstreamTarget(config.upstreamUrl().get().getHost(), config.upstreamUrl().get(), config.apiKey(), config.model());
            LOG.info("upstream: {}", target);
        }
        UpstreamClient client = own(new UpstreamClient(json, config.connectTimeout(), 16));
        relay = own(new RelayService(config, json, client, target, turns, conversations, estimator, prices));
        templates = new Templates(context);
        admin = own(Admin.start(adminConfig, database.dataSource(), Clock.systemUTC()));
    }

    public static App start(ServletContext context, Settings settings) throws Exception {
        App app = new App(context, AppConfig.from(settings), AdminConfig.from(settings));
        context.setAttribute(ATTRIBUTE, app);
        return app;
    }

    public static App from(ServletContext context) {
        App app = (App) context.getAttribute(ATTRIBUTE);
        if (app == null) {
            throw new IllegalStateException("ChatRelay did not start; see the start-up log");
        }
        return app;
    }

    private <T extends AutoCloseable> T own(T resource) {
        closeables.push(resource);
        return resource;
    }

    public AppConfig config() {
        return config;
    }

    public ObjectMapper json() {
        return json;
    }

    public Database database() {
        return database;
    }

    public ConversationRepository conversations() {
        return conversations;
    }

    public TurnRepository turns() {
        return turns;
    }

    public CsrfTokens csrf() {
        return csrf;
    }

    public RelayService relay() {
        return relay;
    }

    public Templates templates() {
        return templates;
    }

    public Admin admin() {
        return admin;
    }

    public boolean draining() {
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
