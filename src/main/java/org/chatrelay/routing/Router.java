package org.chatrelay.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.chatrelay.config.ProviderConfig;
import org.chatrelay.config.ProvidersConfig;
import org.chatrelay.upstream.UpstreamTarget;

/**
 * Turns (model, visitor) into a {@link Route}, and owns what routing shares across answers: each provider's gate
 * and health, and one timer thread for queue waits and retry back-offs (waiting never holds a thread).
 */
public final class Router implements AutoCloseable {
    private final ProvidersConfig config;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final CanarySplit canary;
    private final ScheduledExecutorService timer;

    public Router(ProvidersConfig config) {
        this(config, System::nanoTime);
    }

    Router(ProvidersConfig config, LongSupplier nanos) {
        this.config = config;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-routing-timer");
            t.setDaemon(true);
            return t;
        });
        for (ProviderConfig p : config.providers()) {
            providers.put(p.name(), new Provider(p,
                    new ProviderGate(p.maxConcurrentStreams(), p.queueSize(), p.queueWait(), timer),
                    new ProviderHealth(config.cooldown(), nanos)));
        }
        this.canary = config.canary().map(CanarySplit::new).orElse(null);
    }

    /**
     * @param model null for the default model
     * @throws IllegalArgumentException for a model no provider serves
     */
    public Route route(String model, String visitorId) {
        return route(model, canary != null && canary.inCanary(visitorId));
    }

    /** Where the default model goes for a visitor of the main arm (what the page names as the model and provider). */
    public UpstreamTarget defaultTarget() {
        return route(null, false).candidates().get(0).target();
    }

    private Route route(String model, boolean canaryArm) {
        String first = model == null ? config.defaultModel() : model;
        if (!models().contains(first)) {
            throw new IllegalArgumentException("no provider serves the model '" + first + "'");
        }
        Provider canaryProvider = canary == null ? null : providers.get(canary.provider());
        List<Candidate> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String m = first; m != null && seen.add(m); m = config.fallbackModels().get(m)) {
            String name = m;
            List<Provider> serving = new ArrayList<>(providers.values().stream().filter(p -> p.config().serves(name)).toList());
            if (canaryProvider != null && serving.contains(canaryProvider)) {
                serving.remove(canaryProvider);
                if (canaryArm) {
                    serving.add(0, canaryProvider);
                } else if (serving.isEmpty()) {
                    // The main arm avoids the canary, unless nothing else serves this model.
                    serving.add(canaryProvider);
                }
            }
            for (Provider p : serving) {
                out.add(new Candidate(p, p.config().model(m).orElseThrow()));
            }
        }
        boolean canaryLeads = canaryArm && canaryProvider != null && out.get(0).provider() == canaryProvider;
        return new Route(first, canaryLeads ? "canary" : "main", List.copyOf(out));
    }

    public String defaultModel() {
        return config.defaultModel();
    }

    /** Every model some provider serves, in the order of the providers file. */
    public List<String> models() {
        return config.models();
    }

    public List<Provider> providers() {
        return List.copyOf(providers.values());
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
