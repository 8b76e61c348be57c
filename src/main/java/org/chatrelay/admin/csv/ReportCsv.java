package org.chatrelay.admin.csv;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.chatrelay.admin.report.Money;
import org.chatrelay.admin.report.Report;

/** The report's tables as CSV, one table per file, in exact units (milliseconds, dollars to the micro-dollar). */
final class ReportCsv {
    /** In the order the report page lists them. */
    static final List<String> TABLES = List.of("totals", "latency", "by-day", "by-model", "by-provider", "errors", "arms",
            "quality", "browser", "thinking");

    private ReportCsv() {
    }

    static void write(String table, Report r, CsvWriter csv) throws IOException {
        switch (table) {
            case "totals" -> {
                Report.Totals t = r.totals();
                csv.row("from", "to", "answers", "conversations", "visitors", "prompt_tokens", "completion_tokens",
                        "answers_usage_provider", "answers_usage_estimated", "answers_unpriced",
                        "cost_provider_usd", "cost_estimated_usd", "cost_total_usd");
                csv.row(r.filter().from(), r.filter().to(), t.answers(), t.conversations(), t.visitors(), t.promptTokens(),
                        t.completionTokens(), t.answersProvider(), t.answersEstimated(), t.answersUnpriced(),
                        Money.exact(t.costProviderMicros()), Money.exact(t.costEstimatedMicros()), Money.exact(t.costMicros()));
            }
            case "latency" -> {
                Report.Latency l = r.latency();
                csv.row("answers_with_ttft", "ttft_p50_ms", "ttft_p95_ms", "ttft_p99_ms", "total_p50_ms", "total_p95_ms",
                        "tokens_per_second_p50", "longest_gap_p95_ms");
                csv.row(l.ttftCount(), l.ttftP50(), l.ttftP95(), l.ttftP99(), l.totalP50(), l.totalP95(),
                        l.tokensPerSecondP50(), l.gapP95());
            }
            case "by-day", "by-model", "by-provider" -> breakdown(table.substring(3), table.equals("by-day") ? r.byDay()
                    : table.equals("by-model") ? r.byModel() : r.byProvider(), csv);
            case "errors" -> {
                csv.row("end_reason", "error_code", "answers", "share");
                for (Report.ErrorRow e : r.errors()) {
                    csv.row(e.endReason(), e.errorCode(), e.answers(), e.share());
                }
            }
            case "arms" -> {
                csv.row("arm", "baseline", "answers", "ttft_p50_ms", "ttft_p95_ms", "p50_diff_ms", "p50_diff_lo", "p50_diff_hi",
                        "p95_diff_ms", "p95_diff_lo", "p95_diff_hi", "errors", "error_rate", "error_rate_lo", "error_rate_hi",
                        "cost_per_answer_usd", "cost_per_1k_output_tokens_usd");
                for (Report.ArmRow a : r.arms()) {
                    csv.row(a.arm(), a.baseline(), a.answers(), a.ttftP50(), a.ttftP95(),
                            a.p50Diff() == null ? null : a.p50Diff().estimate(), a.p50Diff() == null ? null : a.p50Diff().lo(),
                            a.p50Diff() == null ? null : a.p50Diff().hi(), a.p95Diff() == null ? null : a.p95Diff().estimate(),
                            a.p95Diff() == null ? null : a.p95Diff().lo(), a.p95Diff() == null ? null : a.p95Diff().hi(),
                            a.errors(), a.errorRate(), a.errorLo(), a.errorHi(), dollars(a.costPerAnswerMicros()),
                            dollars(a.costPer1kOutputMicros()));
                }
            }
            case "quality" -> QualityCsv.quality(r, csv);
            case "browser" -> QualityCsv.browser(r, csv);
            case "thinking" -> thinking(r.thinking(), csv);
            default -> throw new IllegalArgumentException("no table " + table);
        }
    }

    private static void breakdown(String what, List<Report.Breakdown> rows, CsvWriter csv) throws IOException {
        csv.row(what, "answers", "prompt_tokens", "completion_tokens", "cost_usd", "ttft_p50_ms", "ttft_p95_ms", "errors");
        for (Report.Breakdown b : rows) {
            csv.row(b.label(), b.answers(), b.promptTokens(), b.completionTokens(), Money.exact(b.costMicros()), b.ttftP50(),
                    b.ttftP95(), b.errors());
        }
    }

    /** Thinking models: the report's three Thinking tables in one file, told apart by {@code by}. */
    private static void thinking(Report.Thinking t, CsvWriter csv) throws IOException {
        csv.row("by", "label", "answers", "answers_thinking", "thinking_ms_mean", "reasoning_tokens", "reasoning_tokens_estimated");
        for (var table : List.of(Map.entry("model", t.byModel()), Map.entry("provider", t.byProvider()),
                Map.entry("arm", t.byArm()))) {
            for (Report.ThinkingRow row : table.getValue()) {
                csv.row(table.getKey(), row.label(), row.answers(), row.answersThinking(), row.thinkingMsMean(), row.reasoningTokens(),
                        row.reasoningEstimated());
            }
        }
    }

    private static String dollars(Double micros) {
        return micros == null ? null : String.format(java.util.Locale.ROOT, "%.6f", micros / 1_000_000);
    }
}
