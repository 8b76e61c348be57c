package org.chatrelay.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the providers file (see {@code jetty-config/providers.example.json} and docs/providers.md for every field).
 * Defaults for the optional fields come from the single-upstream settings, so one place sets them for both.
 */
final class ProvidersFile {
    private static final Set<String> TOP = Set.of("defaultModel", "fallbackModels", "canary", "cooldown", "providers");
    private static final Set<String> PROVIDER = Set.of("name", "dialect", "baseUrl", "apiKey", "models", "maxTokens",
            "maxConcurrentStreams", "queue", "timeouts", "retry");
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);

    private final String source;
    private final AppConfig defaults;
    private final Function<String, Optional<String>> env;

    ProvidersFile(String source, AppConfig defaults, Function<String, Optional<String>> env) {
        this.source = source;
        this.defaults = defaults;
        this.env = env;
    }

    ProvidersConfig parse(JsonFields root) {
        root.allow(TOP);
        List<ProviderConfig> providers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonFields p : root.objects("providers", true)) {
            ProviderConfig provider = provider(p);
            if (!names.add(provider.name())) {
                throw p.error("name", "'" + provider.name() + "' is used by two providers");
            }
            providers.add(provider);
        }
        String defaultModel = root.text("defaultModel").orElse(providers.get(0).models().get(0).name());
        requireServed(root, "defaultModel", defaultModel, providers);
        Map<String, String> fallbacks = new LinkedHashMap<>();
        root.object("fallbackModels").ifPresent(f -> {
            for (Iterator<String> it = f.names(); it.hasNext(); ) {
                String from = it.next();
                String to = f.requiredText(from);
                requireServed(f, from, from, providers);
                requireServed(f, from, to, providers);
                fallbacks.put(from, to);
            }
        });
        Optional<CanaryConfig> canary = root.object("canary").map(c -> canary(c, names));
        CooldownConfig cooldown = root.object("cooldown").map(this::cooldown).orElse(CooldownConfig.DEFAULT);
        return new ProvidersConfig(source, List.copyOf(providers), defaultModel, Map.copyOf(fallbacks), canary, cooldown);
    }

    private ProviderConfig provider(JsonFields p) {
        p.allow(PROVIDER);
        String name = p.requiredText("name");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw p.error("name", "must be 1-64 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        Dialect dialect = p.text("dialect").map(d -> Dialect.parse(d, source + ": " + p.path("dialect"))).orElse(Dialect.OPENAI);
        URI baseUrl = AppConfig.parseUrl(p.requiredText("baseUrl"), source + ": " + p.path("baseUrl"));
        ApiKeySource key = p.object("apiKey").map(this::key).orElse(ApiKeySource.none());
        List<ProviderModel> models = new ArrayList<>();
        Set<String> modelNames = new HashSet<>();
        for (JsonFields m : p.objects("models", true)) {
            ProviderModel model = model(m, dialect);
            if (!modelNames.add(model.name())) {
                throw m.error("name", "'" + model.name() + "' is listed twice");
            }
            models.add(model);
        }
        int maxTokens = p.integer("maxTokens", 1, 4096);
        int maxStreams = p.integer("maxConcurrentStreams", 1, 10_000);
        JsonFields queue = p.object("queue").orElse(null);
        int queueSize = queue == null ? 100 : queue.allow(Set.of("size", "maxWaitMs")).integer("size", 0, 100);
        Duration queueWait = queue == null ? Duration.ofSeconds(2) : queue.millis("maxWaitMs", 0, Duration.ofSeconds(2));
        Timeouts timeouts = p.object("timeouts").map(this::timeouts).orElse(defaults.timeouts());
        RetryPolicy retry = p.object("retry").map(this::retry).orElse(defaults.retry());
        return new ProviderConfig(name, dialect, baseUrl, key, List.copyOf(models), maxStreams, queueSize, queueWait,
                timeouts, retry, maxTokens);
    }

    private ApiKeySource key(JsonFields k) {
        k.allow(Set.of("env", "file"));
        Optional<String> var = k.text("env");
        Optional<String> file = k.text("file");
        if (var.isPresent() == file.isPresent()) {
            throw k.fail("needs exactly one of 'env' (an environment variable's name) or 'file' (a path); never the key itself");
        }
        if (var.isPresent()) {
            if (env.apply(var.get()).isEmpty()) {
                throw k.error("env", "names the environment variable " + var.get() + ", which is not set");
            }
            return ApiKeySource.env(var.get(), env);
        }
        Path path = Path.of(file.get());
        if (!Files.isReadable(path)) {
            throw k.error("file", "names " + path + ", which is not a readable file");
        }
        return ApiKeySource.file(path);
    }

    private ProviderModel model(JsonFields m, Dialect dialect) {
        m.allow(Set.of("name", "upstreamModel", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion",
                "reasoningPerMillion", "thinking", "reasoningEffort"));
        String name = m.requiredText("name");
        String upstream = m.text("upstreamModel").orElse(name);
        Optional<BigDecimal> in = m.decimal("inputPerMillion", BigDecimal.ZERO, MAX_PRICE);
        Optional<BigDecimal> out = m.decimal("outputPerMillion", BigDecimal.ZERO, MAX_PRICE);
        Optional<BigDecimal> cached = m.decimal("cachedInputPerMillion", BigDecimal.ZERO, MAX_PRICE);
        if (in.isPresent() != out.isPresent() || cached.isPresent() && in.isEmpty()) {
            throw m.fail("gives a price: then 'inputPerMillion' and 'outputPerMillion' are both required (dollars per million tokens)");
        }
        Optional<BigDecimal> reasoning = m.decimal("reasoningPerMillion", BigDecimal.ZERO, MAX_PRICE);
        if (reasoning.isPresent() && in.isEmpty()) {
            throw m.error("reasoningPerMillion", "needs 'inputPerMillion' and 'outputPerMillion' as well");
        }
        Optional<ModelPrice> price = in.map(i -> new ModelPrice(micros(i), micros(out.get()), micros(cached.orElse(i)),
                reasoning.map(ProvidersFile::micros).orElse(null)));
        return new ProviderModel(name, upstream, price, reasoning(m, dialect));
    }

    /** {@code thinking} is Anthropic's switch, {@code reasoningEffort} the OpenAI-compatible one: each only in its dialect. */
    private ModelReasoning reasoning(JsonFields m, Dialect dialect) {
        Optional<JsonFields> thinking = m.object("thinking");
        Optional<String> effort = m.text("reasoningEffort");
        if (thinking.isPresent() && dialect != Dialect.ANTHROPIC) {
            throw m.error("thinking", "is Anthropic's extended thinking; for an OpenAI-compatible provider use 'reasoningEffort'");
        }
        if (effort.isPresent() && dialect == Dialect.ANTHROPIC) {
            throw m.error("reasoningEffort", "is for OpenAI-compatible providers; for Anthropic use 'thinking': {'budgetTokens': n}");
        }
        if (effort.isPresent() && !effort.get().matches("[a-z]{1,16}")) {
            throw m.error("reasoningEffort", "must be a word such as 'low', 'medium' or 'high', got '" + effort.get() + "'");
        }
        int budget = 0;
        if (thinking.isPresent()) {
            JsonFields t = thinking.get().allow(Set.of("budgetTokens"));
            budget = t.integer("budgetTokens", ModelReasoning.MIN_BUDGET, -1);
            if (budget < 0) {
                throw t.error("budgetTokens", "is required (at least " + ModelReasoning.MIN_BUDGET + ")");
            }
        }
        return new ModelReasoning(budget, effort.orElse(null));
    }

    private Timeouts timeouts(JsonFields t) {
        t.allow(Set.of("connectMs", "firstTokenMs", "idleMs", "totalMs"));
        Timeouts d = defaults.timeouts();
        return new Timeouts(t.millis("connectMs", 1, d.connect()), t.millis("firstTokenMs", 1, d.firstToken()),
                t.millis("idleMs", 1, d.idle()), t.millis("totalMs", 1, d.total()));
    }

    private RetryPolicy retry(JsonFields r) {
        r.allow(Set.of("maxAttempts", "baseDelayMs", "maxDelayMs", "retryAfterCapMs"));
        RetryPolicy d = defaults.retry();
        RetryPolicy p = new RetryPolicy(r.integer("maxAttempts", 1, d.maxAttempts()), r.millis("baseDelayMs", 0, d.baseDelay()),
                r.millis("maxDelayMs", 0, d.maxDelay()), r.millis("retryAfterCapMs", 0, d.retryAfterCap()));
        if (p.maxDelay().compareTo(p.baseDelay()) < 0) {
            throw r.error("maxDelayMs", "must not be below baseDelayMs");
        }
        return p;
    }

    private CanaryConfig canary(JsonFields c, Set<String> providers) {
        c.allow(Set.of("provider", "percent", "salt"));
        String provider = c.requiredText("provider");
        if (!providers.contains(provider)) {
            throw c.error("provider", "names '" + provider + "', which is not one of the providers " + providers);
        }
        double percent = c.decimal("percent", BigDecimal.ZERO, BigDecimal.valueOf(100))
                .orElseThrow(() -> c.error("percent", "is required (0 to 100)")).doubleValue();
        return new CanaryConfig(provider, percent, c.requiredText("salt"));
    }

    private CooldownConfig cooldown(JsonFields c) {
        c.allow(Set.of("windowMs", "minRequests", "failureRatio", "cooldownMs"));
        CooldownConfig d = CooldownConfig.DEFAULT;
        double ratio = c.decimal("failureRatio", BigDecimal.ZERO, BigDecimal.ONE).map(BigDecimal::doubleValue).orElse(d.failureRatio());
        return new CooldownConfig(c.millis("windowMs", 1, d.window()), c.integer("minRequests", 1, d.minRequests()), ratio,
                c.millis("cooldownMs", 0, d.cooldown()));
    }

    private static void requireServed(JsonFields at, String field, String model, List<ProviderConfig> providers) {
        if (providers.stream().noneMatch(p -> p.serves(model))) {
            throw at.error(field, "names the model '" + model + "', which no provider lists in its 'models'");
        }
    }

    private static long micros(BigDecimal dollarsPerMillion) {
        return dollarsPerMillion.multiply(MICROS).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
