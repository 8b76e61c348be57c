package org.chatrelay.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatrelay.persistence.Database;
import org.chatrelay.relay.AnswerSummary;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
    Database db;
    Metrics metrics;
    AtomicInteger active = new AtomicInteger();
    AtomicBoolean draining = new AtomicBoolean();

    @BeforeEach
    void setUp() {
        db = TestDb.h2();
        metrics = new Metrics(db.dataSource(), active::get, draining::get);
    }

    @AfterEach
    void tearDown() {
        metrics.close();
        TestDb.close(db);
    }

    @Test
    void answers_are_counted_by_provider_model_and_end_reason() {
        metrics.answerEnded(answer("openai", "gpt-4o", EndReason.COMPLETED, 420, 3_100, 57));
        metrics.answerEnded(answer("openai", "gpt-4o", EndReason.COMPLETED, 380, 2_000, 40));
        metrics.answerEnded(answer("openai", "gpt-4o", EndReason.USER_STOP, 500, 900, 5));

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_answers_total{end_reason=\"completed\",model=\"gpt-4o\",provider=\"openai\"} 2.0"), m);
        assertTrue(m.contains("chatrelay_answers_total{end_reason=\"user_stop\",model=\"gpt-4o\",provider=\"openai\"} 1.0"), m);
        assertTrue(m.contains("chatrelay_completion_tokens_total{provider=\"openai\"} 102.0"), m);
        assertTrue(m.contains("chatrelay_upstream_attempts_total{provider=\"openai\"} 3.0"), m);
        assertFalse(m.contains("chatrelay_upstream_errors_total{"), "a user's Stop is no provider error");
    }

    @Test
    void an_answer_stopped_before_it_reached_a_provider_is_counted_under_provider_none() {
        metrics.answerEnded(new AnswerSummary(null, "m", null, EndReason.USER_STOP, null, 26, 0, 0, List.of()));

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_answers_total{end_reason=\"user_stop\",model=\"m\",provider=\"none\"} 1.0"), m);
    }

    @Test
    void ttft_and_total_time_land_in_cumulative_buckets() {
        metrics.answerEnded(answer("p", "m", EndReason.COMPLETED, 420, 3_100, 10));
        metrics.answerEnded(answer("p", "m", EndReason.COMPLETED, 1_500, 12_000, 10));

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_answer_ttft_seconds_bucket{provider=\"p\",le=\"0.25\"} 0"), m);
        assertTrue(m.contains("chatrelay_answer_ttft_seconds_bucket{provider=\"p\",le=\"0.5\"} 1"), m);
        assertTrue(m.contains("chatrelay_answer_ttft_seconds_bucket{provider=\"p\",le=\"2.0\"} 2"), m);
        assertTrue(m.contains("chatrelay_answer_ttft_seconds_count{provider=\"p\"} 2"), m);
        assertTrue(m.contains("chatrelay_answer_duration_seconds_bucket{end_reason=\"completed\",provider=\"p\",le=\"5.0\"} 1"), m);
        assertTrue(m.contains("chatrelay_answer_duration_seconds_bucket{end_reason=\"completed\",provider=\"p\",le=\"30.0\"} 2"), m);
    }

    @Test
    void an_answer_without_a_first_token_has_no_ttft_sample_and_provider_failures_are_errors() {
        metrics.answerEnded(answer("p", "m", EndReason.UPSTREAM_ERROR, null, 120, 0));
        metrics.answerEnded(answer("p", "m", EndReason.UPSTREAM_CUT, 300, 800, 3));
        metrics.answerEnded(answer("p", "m", EndReason.TIMEOUT, null, 60_000, 0));

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_answer_ttft_seconds_count{provider=\"p\"} 1"), m);
        assertTrue(m.contains("chatrelay_upstream_errors_total{kind=\"upstream_error\",provider=\"p\"} 1.0"), m);
        assertTrue(m.contains("chatrelay_upstream_errors_total{kind=\"upstream_cut\",provider=\"p\"} 1.0"), m);
        assertTrue(m.contains("chatrelay_upstream_errors_total{kind=\"timeout\",provider=\"p\"} 1.0"), m);
    }

    @Test
    void every_attempt_counts_for_its_own_provider() {
        metrics.answerEnded(new AnswerSummary("b", "m", "m", EndReason.COMPLETED, 900, 2_000, 20, 10, List.of(
                new AnswerSummary.Attempt("a", "upstream_error"), new AnswerSummary.Attempt("a", "timeout"), new AnswerSummary.Attempt("b", null))));

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_upstream_attempts_total{provider=\"a\"} 2.0"), m);
        assertTrue(m.contains("chatrelay_upstream_attempts_total{provider=\"b\"} 1.0"), m);
        assertTrue(m.contains("chatrelay_upstream_errors_total{kind=\"upstream_error\",provider=\"a\"} 1.0"), m);
        assertTrue(m.contains("chatrelay_upstream_errors_total{kind=\"timeout\",provider=\"a\"} 1.0"), m);
        assertFalse(m.contains("chatrelay_upstream_errors_total{kind=\"upstream_error\",provider=\"b\"}"), m);
    }

    /** One attempt, failed by the provider when the answer ended for a provider reason. */
    static AnswerSummary answer(String provider, String model, EndReason reason, Integer ttftMs, int totalMs, Integer tokens) {
        return new AnswerSummary(provider, model, null, reason, ttftMs, totalMs, null, tokens,
                List.of(new AnswerSummary.Attempt(provider, AnswerSummary.failureOf(reason))));
    }

    @Test
    void gauges_read_live_values_at_scrape_time_even_after_a_garbage_collection() {
        active.set(7);
        draining.set(true);
        System.gc();

        String m = metrics.scrape();
        assertTrue(m.contains("chatrelay_streams_active 7.0"), m);
        assertTrue(m.contains("chatrelay_draining 1.0"), m);
        assertTrue(m.contains("hikaricp_connections_max{pool=\"chatrelay\"} 10.0"), m);
        assertTrue(m.contains("hikaricp_connections_active{pool=\"chatrelay\"}"), m);
    }

    @Test
    void each_answer_is_also_recorded_under_the_opentelemetry_genai_names_with_their_bucket_boundaries() {
        metrics.answerEnded(genAi("gpt-4o-2024-08-06", EndReason.COMPLETED, 70, 1_500, 40, 300));
        metrics.answerEnded(genAi("gpt-4o-2024-08-06", EndReason.UPSTREAM_ERROR, null, 90, 0, 0));

        String m = metrics.scrape();
        String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\","
                + "gen_ai_response_model=\"gpt-4o-2024-08-06\"";
        assertTrue(m.contains("gen_ai_client_operation_duration_seconds_count{" + labels + "} 2"), m);
        assertTrue(m.contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"0.16\"} 1"), m);
        assertTrue(m.contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"2.56\"} 2"), m);
        // Only the answer with a first token has a TTFT, in the conventions' finer buckets.
        assertTrue(m.contains("gen_ai_server_time_to_first_token_seconds_count{" + labels + "} 1"), m);
        assertTrue(m.contains("gen_ai_server_time_to_first_token_seconds_bucket{" + labels + ",le=\"0.06\"} 0"), m);
        assertTrue(m.contains("gen_ai_server_time_to_first_token_seconds_bucket{" + labels + ",le=\"0.08\"} 1"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\"} 300.0"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_bucket{" + labels + ",gen_ai_token_type=\"output\",le=\"256.0\"} 1"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_bucket{" + labels + ",gen_ai_token_type=\"output\",le=\"1024.0\"} 2"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\"} 40.0"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_count{" + labels + ",gen_ai_token_type=\"input\"} 2"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_bucket{" + labels + ",gen_ai_token_type=\"input\",le=\"16.0\"} 1"), m);
        assertTrue(m.contains("gen_ai_client_token_usage_bucket{" + labels + ",gen_ai_token_type=\"input\",le=\"64.0\"} 2"), m);
    }

    @Test
    void a_provider_that_names_no_model_leaves_the_response_model_label_empty_which_prometheus_reads_as_absent() {
        metrics.answerEnded(genAi(null, EndReason.COMPLETED, 70, 1_500, 40, 300));

        String m = metrics.scrape();
        assertTrue(m.contains("gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                + "gen_ai_request_model=\"gpt-4o\",gen_ai_response_model=\"\",gen_ai_token_type=\"input\"} 40.0"), m);
    }

    /** An answer of the configured model gpt-4o from the provider openai, which reported {@code responseModel}. */
    static AnswerSummary genAi(String responseModel, EndReason reason, Integer ttftMs, int totalMs, int promptTokens, int completionTokens) {
        return new AnswerSummary("openai", "gpt-4o", responseModel, reason, ttftMs, totalMs, promptTokens, completionTokens,
                List.of(new AnswerSummary.Attempt("openai", AnswerSummary.failureOf(reason))));
    }
}
