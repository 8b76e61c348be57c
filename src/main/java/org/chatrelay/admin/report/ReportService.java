package org.chatrelay.admin.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Builds a {@link Report} from the cells of a filter: every figure comes from merged cells, so all tables agree. */
public final class ReportService {
    private final ReportReader reader;
    private final QualityReader quality;

    public ReportService(ReportReader reader, QualityReader quality) {
        this.reader = reader;
        this.quality = quality;
    }

    public Report build(ReportFilter filter) {
        List<StoredRow> rows = new ArrayList<>();
        reader.read(filter, rows::add);
        return build(filter, rows, quality.read(filter));
    }

    static Report build(ReportFilter filter, List<StoredRow> cells, QualityReader.Read read) {
        Cell all = new Cell();
        Map<String, Long> errors = new TreeMap<>();
        Set<String> models = new TreeSet<>();
        Set<String> providers = new TreeSet<>();
        Set<String> arms = new TreeSet<>();
        for (StoredRow e : cells) {
            RollupKey k = e.key();
            all.add(e, true);
            models.add(k.model());
            providers.add(k.provider());
            arms.add(k.arm());
            if (!"completed".equals(k.endReason()) || !k.errorCode().isEmpty()) {
                errors.merge(k.endReason() + "\u0000" + k.errorCode(), e.sums().answers, Long::sum);
            }
        }
        List<Report.ErrorRow> errorRows = new ArrayList<>();
        errors.forEach((key, n) -> {
            String[] parts = key.split("\u0000", -1);
            errorRows.add(new Report.ErrorRow(parts[0], parts[1], n, all.answers == 0 ? 0 : (double) n / all.answers));
        });
        errorRows.sort(Comparator.comparingLong(Report.ErrorRow::answers).reversed());
        Map<String, Cell> byArm = group(cells, RollupKey::arm);
        Map<String, Cell> byModel = group(cells, RollupKey::model);
        Map<String, Cell> byProvider = group(cells, RollupKey::provider);
        List<Report.ArmRow> armRows = Canary.arms(byArm);
        List<Quality.Row> qualityRows = Quality.rows(read.byArm(), Canary.baseline(byArm));
        return new Report(filter, totals(all), latency(all), errorRows,
                breakdown(group(cells, k -> k.day().toString())), breakdown(byModel),
                breakdown(byProvider), armRows, Verdict.lines(armRows, qualityRows), all.ttft,
                new Report.Options(List.copyOf(models), List.copyOf(providers), List.copyOf(arms)),
                qualityRows, Quality.browserRows(read.counts(), read.paints()),
                new Report.Thinking(thinking(byModel), thinking(byProvider), thinking(byArm)),
                breakdown(group(cells, RollupKey::keyId)), breakdown(group(cells, RollupKey::source)));
    }

    private static List<Report.ThinkingRow> thinking(Map<String, Cell> groups) {
        List<Report.ThinkingRow> rows = new ArrayList<>();
        groups.forEach((label, c) -> {
            if (c.answersThinking > 0 || c.reasoningTokens > 0) {
                rows.add(new Report.ThinkingRow(label, c.answers, c.answersThinking, c.thinkingMsMean(), c.reasoningTokens,
                        c.reasoningEstimated));
            }
        });
        return rows;
    }

    /** Sums and TTFT per group: all that the breakdown tables, the charts and the A/B comparison need. */
    static Map<String, Cell> group(List<StoredRow> cells, Function<RollupKey, String> by) {
        Map<String, Cell> out = new TreeMap<>();
        for (StoredRow e : cells) {
            out.computeIfAbsent(by.apply(e.key()), x -> new Cell()).add(e, false);
        }
        return out;
    }

    private static Report.Totals totals(Cell c) {
        return new Report.Totals(c.answers, c.answers == 0 ? 0 : c.conversations.estimate(), c.answers == 0 ? 0 : c.visitors.estimate(),
                c.promptTokens(), c.completionTokens(), c.answersProvider, c.answersEstimated, c.answersUnpriced,
                c.promptProvider, c.completionProvider, c.promptEstimated, c.completionEstimated,
                c.costProviderMicros, c.costEstimatedMicros);
    }

    private static Report.Latency latency(Cell c) {
        Double tps = c.tpsTenths.percentile(0.5);
        return new Report.Latency(c.ttft.count(), c.ttft.percentile(0.5), c.ttft.percentile(0.95), c.ttft.percentile(0.99),
                c.total.percentile(0.5), c.total.percentile(0.95), tps == null ? null : tps / 10, c.gap.percentile(0.95));
    }

    private static List<Report.Breakdown> breakdown(Map<String, Cell> groups) {
        List<Report.Breakdown> rows = new ArrayList<>();
        groups.forEach((label, c) -> rows.add(new Report.Breakdown(label, c.answers, c.promptTokens(), c.completionTokens(),
                c.costMicros(), c.ttft.percentile(0.5), c.ttft.percentile(0.95), c.errors)));
        return rows;
    }
}
