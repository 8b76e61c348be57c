package org.chatrelay.admin.report;

import java.util.List;

/** Everything the report page, its charts and its CSV tables show, computed once per request. */
public record Report(ReportFilter filter, Totals totals, Latency latency, List<ErrorRow> errors,
                     List<Breakdown> byDay, List<Breakdown> byModel, List<Breakdown> byProvider,
                     List<ArmRow> arms, List<String> verdicts, Histogram ttftHistogram, Options options,
                     List<Quality.Row> quality, List<Quality.BrowserRow> browser, Thinking thinking,
                     List<Breakdown> byKey, List<Breakdown> bySource) {

    /** Thinking models: one table per model, provider and arm, each row only where some answer showed reasoning. */
    public record Thinking(List<ThinkingRow> byModel, List<ThinkingRow> byProvider, List<ThinkingRow> byArm) {
        public boolean any() {
            return !byModel.isEmpty();
        }
    }

    /**
     * @param thinkingMsMean    mean thinking time (first reasoning byte to first answer token) of the answers that thought
     * @param reasoningTokens   part of the completion tokens; {@code reasoningEstimated} of them estimated from the text
     */
    public record ThinkingRow(String label, long answers, long answersThinking, Double thinkingMsMean, long reasoningTokens,
                              long reasoningEstimated) {
    }

    /** Costs are micro-dollars; tokens and answers split by where their usage came from. */
    public record Totals(long answers, long conversations, long visitors, long promptTokens, long completionTokens,
                         long answersProvider, long answersEstimated, long answersUnpriced,
                         long promptProvider, long completionProvider, long promptEstimated, long completionEstimated,
                         long costProviderMicros, long costEstimatedMicros) {
        public long costMicros() {
            return costProviderMicros + costEstimatedMicros;
        }

        public long answersWithoutUsage() {
            return answers - answersProvider - answersEstimated;
        }
    }

    /** Milliseconds, except tokens per second; null when no answer had the figure. */
    public record Latency(long ttftCount, Double ttftP50, Double ttftP95, Double ttftP99, Double totalP50, Double totalP95,
                          Double tokensPerSecondP50, Double gapP95) {
    }

    public record ErrorRow(String endReason, String errorCode, long answers, double share) {
    }

    /** One line of the by-day, by-model or by-provider table. */
    public record Breakdown(String label, long answers, long promptTokens, long completionTokens, long costMicros,
                            Double ttftP50, Double ttftP95, long errors) {
        public double errorRate() {
            return answers == 0 ? 0 : (double) errors / answers;
        }
    }

    /** One canary arm; the diffs are this arm minus the baseline arm (null for the baseline itself or without data). */
    public record ArmRow(String arm, boolean baseline, long answers, Double ttftP50, Double ttftP95, long errors,
                         double errorLo, double errorHi, Double costPerAnswerMicros, Double costPer1kOutputMicros,
                         Stats.Diff p50Diff, Stats.Diff p95Diff) {
        public double errorRate() {
            return answers == 0 ? 0 : (double) errors / answers;
        }
    }

    /** The values present in the range, for the filter menus. */
    public record Options(List<String> models, List<String> providers, List<String> arms) {
    }
}
