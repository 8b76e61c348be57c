package org.chatrelay.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every provider the relay may use and how answers are routed among them: the default model, fallback models, an
 * optional sticky canary and the cooldown rule. Comes from {@code CHATRELAY_PROVIDERS_FILE}, or from the
 * single-upstream variables as a one-provider shorthand, or is the built-in demo.
 *
 * @param source         where it came from, for messages
 * @param fallbackModels model -> the model to try once every provider of the first one failed
 */
public record ProvidersConfig(String source, List<ProviderConfig> providers, String defaultModel,
                              Map<String, String> fallbackModels, Optional<CanaryConfig> canary, CooldownConfig cooldown) {

    /** Comments are allowed so the example file can explain itself. */
    private static final JsonMapper FILE_JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    /** The configured providers. Call only when not {@link AppConfig#demo()}. */
    public static ProvidersConfig from(AppConfig app, Function<String, Optional<String>> env) {
        if (app.providersFile().isPresent()) {
            return load(app.providersFile().get(), app, env);
        }
        URI url = app.upstreamUrl().orElseThrow(() -> new IllegalStateException("the demo has no providers file"));
        ProviderModel model = new ProviderModel(app.model(), app.model(), Optional.empty());
        // Unlimited in practice: the shorthand keeps the behaviour of a single upstream with no limit.
        ProviderConfig p = new ProviderConfig(url.getHost(), app.dialect(), url, app.apiKey(), List.of(model), 10_000, 100,
                java.time.Duration.ofSeconds(2), app.timeouts(), app.retry(), 4096);
        return new ProvidersConfig("CHATRELAY_UPSTREAM_URL", List.of(p), app.model(), Map.of(), Optional.empty(), CooldownConfig.DEFAULT);
    }

    /** The built-in offline demo upstream as the only provider. */
    public static ProvidersConfig demo(URI baseUrl, String model, AppConfig app) {
        ProviderConfig p = new ProviderConfig("demo", Dialect.OPENAI, baseUrl, ApiKeySource.none(),
                List.of(new ProviderModel(model, model, Optional.empty())), 10_000, 100, java.time.Duration.ofSeconds(2),
                app.timeouts(), app.retry(), 4096);
        return new ProvidersConfig("demo", List.of(p), model, Map.of(), Optional.empty(), CooldownConfig.DEFAULT);
    }

    static ProvidersConfig load(Path file, AppConfig app, Function<String, Optional<String>> env) {
        String source = "CHATRELAY_PROVIDERS_FILE " + file;
        JsonNode root;
        try {
            root = FILE_JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(source + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException(source + " cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        ProvidersConfig c = new ProvidersFile(source, app, env).parse(JsonFields.root(source, root));
        if (app.model().isEmpty()) {
            return c;
        }
        // CHATRELAY_MODEL, when set, picks the default model among those the file lists.
        if (c.providers().stream().noneMatch(p -> p.serves(app.model()))) {
            throw new ConfigException("CHATRELAY_MODEL names the model '" + app.model() + "', which no provider in " + file + " serves");
        }
        return new ProvidersConfig(c.source(), c.providers(), app.model(), c.fallbackModels(), c.canary(), c.cooldown());
    }

    /** The models some provider is configured to ask to think ({@code thinking} or {@code reasoningEffort}). */
    public Set<String> thinkingModels() {
        Set<String> names = new LinkedHashSet<>();
        providers.forEach(p -> p.models().stream().filter(m -> m.reasoning().enabled()).forEach(m -> names.add(m.name())));
        return names;
    }

    /** Every model some provider serves, in file order. */
    public List<String> models() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        providers.forEach(p -> p.models().forEach(m -> names.add(m.name())));
        return List.copyOf(names);
    }

    /** The prices the providers file gives, by model (the first provider listing a model wins). */
    public Map<String, ModelPrice> prices() {
        Map<String, ModelPrice> out = new LinkedHashMap<>();
        providers.forEach(p -> p.models().forEach(m -> m.price().ifPresent(price -> out.putIfAbsent(m.name(), price))));
        return out;
    }

    public Optional<ProviderConfig> provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
