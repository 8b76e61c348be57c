package org.chatrelay.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.spool.DurableStore;
import org.chatrelay.tokens.TokenEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each finished answer off the token path, then lets the stream send its terminal event: a {@code done} the
 * browser sees means the answer is already durable (in the database, or in this node's spool until the database is
 * back: {@link DurableStore}), so a reload shows it.
 *
 * <p>One writer thread, group commit: answers that end while a transaction is being written wait for the next one and
 * share it (at most {@link #MAX_BATCH}). A commit's cost is mostly fixed (H2 writes a chunk, PostgreSQL flushes its
 * log), so when hundreds of answers end within a second this is a few commits instead of hundreds, on the core the
 * live streams need (docs/benchmarks.md); a lone answer is written at once, as before.
 */
final class AnswerRecorder implements AutoCloseable {
    static final int MAX_BATCH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(AnswerRecorder.class);
    private final DurableStore store;
    private final TokenEstimator estimator;
    private final PriceTable prices;
    private final RelayLog log;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile RelayObserver observer = RelayObserver.NONE;

    private record Job(AnswerRequest answer, Outcome outcome, AnswerClock clock, Consumer<AnswerRecord> then) {
    }

    private record Prepared(Job job, AnswerRecord record, AnswerEnd end) {
    }

    AnswerRecorder(DurableStore store, TokenEstimator estimator, PriceTable prices, RelayLog log) {
        this.store = store;
        this.estimator = estimator;
        this.prices = prices;
        this.log = log;
        this.writer = new Thread(this::run, "answer-recorder");
        writer.setDaemon(true);
        writer.start();
    }

    void record(AnswerRequest answer, Outcome outcome, AnswerClock clock, Consumer<AnswerRecord> then) {
        Job job = new Job(answer, outcome, clock, then);
        if (closed) {
            // Shutting down: the caller's thread stores it (close() also drains what raced in).
            write(List.of(job));
            return;
        }
        queue.add(job);
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        while (true) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The writer must outlive any one answer's failure, or every later answer would wait forever.
                LOG.error("answer recorder failed on a batch of {} answers", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Stores a batch in one transaction (or, while the database is unavailable, in the spool), then lets each stream
     * send its terminal event: {@code storage_unavailable} for an answer that is durable nowhere.
     */
    private void write(List<Job> batch) {
        List<Prepared> prepared = new ArrayList<>(batch.size());
        for (Job job : batch) {
            prepared.add(prepare(job));
        }
        boolean[] durable = store.store(prepared.stream().map(Prepared::end).toList());
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            Job job = p.job();
            AnswerRecord record = durable[i] ? p.record() : p.record().unstored();
            if (!durable[i]) {
                log.storeFailed(job.answer());
            }
            log.answer(job.answer(), job.outcome(), record);
            observe(job.answer(), job.outcome(), record);
            try {
                job.then().accept(record);
            } catch (RuntimeException e) {
                LOG.warn("terminal event of answer {} failed", job.answer().ids().assistantMessageId(), e);
            }
        }
    }

    /** Token counts (the provider's, else estimated), cost and the row to write. */
    private Prepared prepare(Job job) {
        AnswerRequest answer = job.answer();
        Outcome o = job.outcome();
        AnswerClock clock = job.clock();
        Integer prompt = o.promptTokens();
        Integer completion = o.completionTokens();
        String source;
        if (!o.streamOpen() && o.text().isEmpty() && prompt == null) {
            // Refused before any stream began: providers do not bill a rejected request.
            prompt = 0;
            completion = 0;
            source = "none";
        } else {
            source = prompt != null && completion != null ? "provider" : "estimated";
            if (prompt == null) {
                prompt = estimator.countPrompt(answer.prompt());
            }
            if (completion == null) {
                // Reasoning is output the provider bills: an estimate counts it too.
                completion = estimator.count(o.text()) + (o.thinking().text().isEmpty() ? 0 : estimator.count(o.thinking().text()));
            }
        }
        AnswerThinking counted = thinking(o, completion);
        // A gateway key that stores no content keeps the figures of the reasoning and the answer, not their text.
        boolean keep = answer.options().storeContent();
        AnswerThinking thinking = keep ? counted : new AnswerThinking("", counted.firstReasoningMs(), counted.thinkingMs(),
                counted.reasoningTokens(), counted.reasoningSource());
        int in = prompt;
        int out = completion;
        Integer reasoning = thinking.reasoningTokens();
        // The answering provider's own price first (the providers file), then the price table by model name.
        Long cost = o.price().map(p -> p.costMicros(in, out, reasoning))
                .orElseGet(() -> priceOf(answer.model(), o.modelReported(), in, out, reasoning));
        // Generation speed of the answer text: reasoning tokens were spent before its first token, not between its tokens.
        Double tps = clock.tokensPerSecond(reasoning == null ? completion : Math.max(0, completion - reasoning));
        AnswerRecord record = new AnswerRecord(answer.ids().assistantMessageId(), prompt, completion, source, cost, tps, true,
                thinking.reasoningTokens(), thinking.reasoningSource());
        AnswerEnd end = new AnswerEnd(answer.ids().usageId(), answer.ids().assistantMessageId(), answer.ids().conversationId(),
                keep ? o.text() : "", o.reason().code(), o.finishReason(), o.errorCode(), o.modelReported(), prompt, completion,
                source, cost, o.ttftMs(), o.totalMs(), tps, o.maxGapMs(), o.attempts().size(), Instant.now(),
                o.provider(), o.attempts(), Outcome.NO_DONE.equals(o.flags()), thinking);
        return new Prepared(job, record, end);
    }

    /**
     * Reasoning tokens as the provider reported them apart, else estimated from the reasoning text (flagged), never
     * more than the output tokens leave beside the answer's own: reasoning is part of the output.
     */
    private AnswerThinking thinking(Outcome o, int completion) {
        Outcome.Thinking t = o.thinking();
        Integer tokens = t.reasoningTokens();
        String source = "provider";
        if (tokens == null && !t.text().isEmpty()) {
            tokens = Math.min(estimator.count(t.text()), Math.max(0, completion - estimator.count(o.text())));
            source = "estimated";
        }
        return new AnswerThinking(t.text(), t.firstReasoningMs(), t.thinkingMs(), tokens, tokens == null ? null : source);
    }

    void observe(RelayObserver o) {
        observer = o;
    }

    private void observe(AnswerRequest answer, Outcome o, AnswerRecord record) {
        try {
            // One entry per upstream request, so retries and fallbacks show in the per-provider attempt metrics. A failed
            // attempt counts by its error code; a provider failure after content (cut, error event, stall) by the end reason.
            List<AttemptRow> rows = o.attempts();
            String answerFailure = AnswerSummary.failureOf(o.reason());
            List<AnswerSummary.Attempt> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                AttemptRow a = rows.get(i);
                String failure = "failed".equals(a.outcome()) ? (a.errorCode() != null ? a.errorCode() : "failed")
                        : i == rows.size() - 1 ? answerFailure : null;
                attempts.add(new AnswerSummary.Attempt(a.provider(), failure));
            }
            observer.answerEnded(new AnswerSummary(o.provider(), answer.model(), o.modelReported(), o.reason(), o.ttftMs(), o.totalMs(),
                    record.promptTokens(), record.completionTokens(), attempts));
        } catch (RuntimeException e) {
            // Metrics must never cost an answer its terminal event.
            LOG.warn("relay observer failed", e);
        }
    }

    private Long priceOf(String requested, String reported, int prompt, int completion, Integer reasoning) {
        return prices.find(requested).or(() -> prices.find(reported)).map(p -> p.costMicros(prompt, completion, reasoning)).orElse(null);
    }

    /** Stores what is queued (waiting at most 10 s for the writer), then stores later answers on their own threads. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        writer.join(10_000);
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            write(left);
        }
    }
}
