package org.chatrelay.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.chatrelay.relay.AnswerSummary;
import org.chatrelay.relay.RelayObserver;
import org.chatrelay.routing.Provider;
import org.chatrelay.routing.ProviderGate;

/**
 * This node's metrics, for {@code /metrics}. Answers are counted once each, when stored ({@link RelayObserver}),
 * never per token; gauges are read at scrape time. Labels take only bounded values: provider, configured model, the
 * model the provider reported (its few snapshot names), end reason, failure kind.
 */
public final class Metrics implements RelayObserver, AutoCloseable {
    /** Time to first token: a fast provider answers in well under a second, a loaded one in several. */
    private static final Duration[] TTFT_BUCKETS = millis(100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000);
    /** Whole answers run from a second to the 10-minute answer limit. */
    private static final Duration[] TOTAL_BUCKETS = millis(500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000);

    /*
     * The OpenTelemetry GenAI semantic conventions' explicit bucket boundaries, so stock GenAI dashboards read these
     * histograms as they read an OpenTelemetry SDK's: seconds for durations, tokens for usage.
     */
    private static final Duration[] GENAI_DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    private static final Duration[] GENAI_TTFT_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0);
    private static final double[] GENAI_TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576,
            4_194_304, 16_777_216, 67_108_864};
    static final String GENAI_OPERATION = "chat";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics(DataSource dataSource, IntSupplier activeStreams, BooleanSupplier draining) {
        // Strong references: Micrometer holds gauge state weakly, and these lambdas have no other owner.
        Gauge.builder("chatrelay.streams.active", activeStreams, IntSupplier::getAsInt).strongReference(true)
                .description("Answers streaming on this node now").register(registry);
        Gauge.builder("chatrelay.draining", draining, d -> d.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while this node finishes its answers before stopping").register(registry);
        if (dataSource instanceof HikariDataSource hikari) {
            // hikaricp_connections_active / _idle / _pending / _timeout_total …, labelled pool="chatrelay".
            hikari.setMetricRegistry(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Per provider, read at scrape time: the answers holding one of its places ({@code maxConcurrentStreams}) and the
     * answers queued for one. A queue that stays above zero is the sign to raise the provider's limit or add a fallback,
     * before its waits turn into 503 {@code upstream_busy}.
     */
    public void gates(List<Provider> providers) {
        for (Provider p : providers) {
            Gauge.builder("chatrelay.provider.streams.active", p.gate(), ProviderGate::active).tag("provider", p.name())
                    .strongReference(true).description("Answers holding one of this provider's places").register(registry);
            Gauge.builder("chatrelay.provider.streams.queued", p.gate(), ProviderGate::waiting).tag("provider", p.name())
                    .strongReference(true).description("Answers waiting for one of this provider's places").register(registry);
        }
    }

    @Override
    public void answerEnded(AnswerSummary a) {
        String reason = a.endReason().code();
        // An answer stopped while it waited in a provider's queue or back-off never reached a provider: a null tag
        // would throw, and the answer would be missing from the counts.
        String provider = a.provider() == null ? "none" : a.provider();
        Counter.builder("chatrelay.answers").description("Answers by how they ended")
                .tag("provider", provider).tag("model", a.model()).tag("end_reason", reason)
                .register(registry).increment();
        if (a.ttftMs() != null) {
            Timer.builder("chatrelay.answer.ttft").description("Time from the user's message to the first token")
                    .tag("provider", provider).serviceLevelObjectives(TTFT_BUCKETS)
                    .register(registry).record(Duration.ofMillis(a.ttftMs()));
        }
        Timer.builder("chatrelay.answer.duration").description("Time from the user's message to the end of the answer")
                .tag("provider", provider).tag("end_reason", reason).serviceLevelObjectives(TOTAL_BUCKETS)
                .register(registry).record(Duration.ofMillis(a.totalMs()));
        if (a.completionTokens() != null) {
            Counter.builder("chatrelay.completion.tokens").description("Tokens answered (reported or estimated)")
                    .tag("provider", provider).register(registry).increment(a.completionTokens());
        }
        genAi(a, provider);
        for (AnswerSummary.Attempt t : a.attempts()) {
            Counter.builder("chatrelay.upstream.attempts").description("Requests sent to a provider")
                    .tag("provider", t.provider()).register(registry).increment();
            if (t.failure() != null) {
                Counter.builder("chatrelay.upstream.errors").description("Requests a provider failed: refused, errored, cut or too slow")
                        .tag("provider", t.provider()).tag("kind", t.failure()).register(registry).increment();
            }
        }
    }

    /**
     * The same answer under the OpenTelemetry GenAI names (Prometheus: gen_ai_client_token_usage,
     * gen_ai_client_operation_duration_seconds, gen_ai_server_time_to_first_token_seconds). gen_ai.request.model is
     * the configured model, gen_ai.provider.name the configured provider and gen_ai.response.model the model the
     * provider reported. A provider that reported none gets an empty value, which Prometheus reads as the label being
     * absent: every series of one name must carry the same label names, and a guess would be a false model.
     */
    private void genAi(AnswerSummary a, String provider) {
        Tags tags = Tags.of("gen_ai.operation.name", GENAI_OPERATION, "gen_ai.request.model", a.model(),
                "gen_ai.provider.name", provider, "gen_ai.response.model", a.responseModel() == null ? "" : a.responseModel());
        Timer.builder("gen_ai.client.operation.duration").description("GenAI operation duration")
                .tags(tags).serviceLevelObjectives(GENAI_DURATION_BUCKETS)
                .register(registry).record(Duration.ofMillis(a.totalMs()));
        if (a.ttftMs() != null) {
            Timer.builder("gen_ai.server.time_to_first_token").description("Time to generate first token for successful responses")
                    .tags(tags).serviceLevelObjectives(GENAI_TTFT_BUCKETS)
                    .register(registry).record(Duration.ofMillis(a.ttftMs()));
        }
        tokens(tags, "input", a.promptTokens());
        tokens(tags, "output", a.completionTokens());
    }

    private void tokens(Tags tags, String type, Integer count) {
        if (count != null) {
            DistributionSummary.builder("gen_ai.client.token.usage").description("Number of input and output tokens used")
                    .tags(tags).tag("gen_ai.token.type", type).serviceLevelObjectives(GENAI_TOKEN_BUCKETS)
                    .register(registry).record(count);
        }
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }

    private static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }
}
