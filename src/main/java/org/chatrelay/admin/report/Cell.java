package org.chatrelay.admin.report;

import org.chatrelay.persistence.EndReason;

/**
 * The sums, histograms and sketches of a set of answers: one rollup row, or any merge of them (a day, a model,
 * an arm, the whole range). Tokens per second are recorded in tenths. Errors are not stored: a rollup row has one
 * end reason, so its errors are all or none of its answers.
 */
public final class Cell {
    long answers;
    long errors;
    long answersProvider;
    long answersEstimated;
    long answersUnpriced;
    long promptProvider;
    long completionProvider;
    long promptEstimated;
    long completionEstimated;
    long costProviderMicros;
    long costEstimatedMicros;
    long answersThinking;
    long thinkingMsSum;
    long reasoningTokens;
    long reasoningEstimated;
    final Histogram ttft = new Histogram();
    final Histogram total = new Histogram();
    final Histogram tpsTenths = new Histogram();
    final Histogram gap = new Histogram();
    final DistinctSketch visitors = new DistinctSketch();
    final DistinctSketch conversations = new DistinctSketch();

    public void add(UsageFact f) {
        answers++;
        if (EndReason.isError(f.endReason())) {
            errors++;
        }
        long prompt = f.promptTokens() == null ? 0 : f.promptTokens();
        long completion = f.completionTokens() == null ? 0 : f.completionTokens();
        long cost = f.costMicros() == null ? 0 : f.costMicros();
        if ("provider".equals(f.usageSource())) {
            answersProvider++;
            promptProvider += prompt;
            completionProvider += completion;
            costProviderMicros += cost;
        } else if ("estimated".equals(f.usageSource())) {
            answersEstimated++;
            promptEstimated += prompt;
            completionEstimated += completion;
            costEstimatedMicros += cost;
        }
        if (f.costMicros() == null && prompt + completion > 0) {
            answersUnpriced++;
        }
        if (f.ttftMs() != null) {
            ttft.record(f.ttftMs());
        }
        if (f.totalMs() != null) {
            total.record(f.totalMs());
        }
        if (f.tokensPerSecond() != null && !f.tokensPerSecond().isNaN()) {
            tpsTenths.record(Math.round(f.tokensPerSecond() * 10));
        }
        if (f.maxGapMs() != null) {
            gap.record(f.maxGapMs());
        }
        visitors.add(f.visitorId());
        conversations.add(f.conversationId());
        addThinking(f);
    }

    private void addThinking(UsageFact f) {
        if (f.thinkingMs() != null) {
            answersThinking++;
            thinkingMsSum += f.thinkingMs();
        }
        if (f.reasoningTokens() != null) {
            reasoningTokens += f.reasoningTokens();
            if ("estimated".equals(f.reasoningSource())) {
                reasoningEstimated += f.reasoningTokens();
            }
        }
    }

    /** Mean thinking time of the answers that showed reasoning; null when none did. */
    public Double thinkingMsMean() {
        return answersThinking == 0 ? null : (double) thinkingMsSum / answersThinking;
    }

    public void merge(Cell o) {
        merge(o, true);
    }

    /** Adds a stored row: its sums and TTFT always, its other distributions only with {@code everything}. */
    public void add(StoredRow row, boolean everything) {
        addSums(row.sums());
        ttft.mergeEncoded(row.ttft());
        if (everything) {
            total.mergeEncoded(row.total());
            tpsTenths.mergeEncoded(row.tps());
            gap.mergeEncoded(row.gap());
            visitors.mergeEncoded(row.visitors());
            conversations.mergeEncoded(row.conversations());
        }
    }

    /**
     * Adds another cell. With {@code everything} false only the sums and the TTFT histogram are added: all a
     * breakdown row shows. The other histograms and the distinct-count sketches are merged once, for the totals,
     * which keeps a 90-day report to a few thousand sketch merges.
     */
    public void merge(Cell o, boolean everything) {
        addSums(o);
        ttft.merge(o.ttft);
        if (everything) {
            total.merge(o.total);
            tpsTenths.merge(o.tpsTenths);
            gap.merge(o.gap);
            visitors.merge(o.visitors);
            conversations.merge(o.conversations);
        }
    }

    private void addSums(Cell o) {
        answers += o.answers;
        errors += o.errors;
        answersProvider += o.answersProvider;
        answersEstimated += o.answersEstimated;
        answersUnpriced += o.answersUnpriced;
        promptProvider += o.promptProvider;
        completionProvider += o.completionProvider;
        promptEstimated += o.promptEstimated;
        completionEstimated += o.completionEstimated;
        costProviderMicros += o.costProviderMicros;
        costEstimatedMicros += o.costEstimatedMicros;
        answersThinking += o.answersThinking;
        thinkingMsSum += o.thinkingMsSum;
        reasoningTokens += o.reasoningTokens;
        reasoningEstimated += o.reasoningEstimated;
    }

    public long promptTokens() {
        return promptProvider + promptEstimated;
    }

    public long completionTokens() {
        return completionProvider + completionEstimated;
    }

    public long costMicros() {
        return costProviderMicros + costEstimatedMicros;
    }
}
