package org.chatrelay.relay;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.TurnEnd;
import org.chatrelay.persistence.TurnRepository;
import org.chatrelay.tokens.TokenEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each finished answer off the token path, on its own small pool, then lets the stream send its
 * terminal event: a {@code done} the browser sees means the answer is already durable, so a reload shows it.
 */
final class TurnRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TurnRecorder.class);
    private final TurnRepository turns;
    private final TokenEstimator estimator;
    private final PriceTable prices;
    private final RelayLog log;
    private final ExecutorService pool;
    private volatile RelayObserver observer = RelayObserver.NONE;

    TurnRecorder(TurnRepository turns, TokenEstimator estimator, PriceTable prices, RelayLog log) {
        this.turns = turns;
        this.estimator = estimator;
        this.prices = prices;
        this.log = log;
        this.pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "turn-recorder");
            t.setDaemon(true);
            return t;
        });
    }

    void record(Turn turn, Outcome outcome, TurnClock clock, Consumer<AnswerRecord> then) {
        Runnable job = () -> then.accept(store(turn, outcome, clock));
        try {
            pool.execute(job);
        } catch (RejectedExecutionException shuttingDown) {
            job.run();
        }
    }

    AnswerRecord store(Turn turn, Outcome o, TurnClock clock) {
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
                prompt = estimator.countPrompt(turn.prompt());
            }
            if (completion == null) {
                completion = estimator.count(o.text());
            }
        }
        int in = prompt;
        int out = completion;
        // The answering provider's own price first (the providers file), then the price table by model name.
        Long cost = o.price().map(p -> p.costMicros(in, out)).orElseGet(() -> priceOf(turn.model(), o.modelReported(), in, out));
        Double tps = clock.tokensPerSecond(completion);
        AnswerRecord record = new AnswerRecord(turn.ids().assistantMessageId(), prompt, completion, source, cost, tps);
        try {
            turns.finish(new TurnEnd(turn.ids().usageId(), turn.ids().assistantMessageId(), turn.ids().conversationId(),
                    o.text(), o.reason().code(), o.finishReason(), o.errorCode(), o.modelReported(), prompt, completion,
                    source, cost, o.ttftMs(), o.totalMs(), tps, o.maxGapMs(), o.attempts().size(), Instant.now(),
                    o.provider(), o.attempts()));
        } catch (RuntimeException e) {
            log.storeFailed(turn, e);
        }
        log.answer(turn, o, record);
        observe(turn, o, completion);
        return record;
    }

    void observe(RelayObserver o) {
        observer = o;
    }

    private void observe(Turn turn, Outcome o, Integer completion) {
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
            observer.answerEnded(new AnswerSummary(o.provider(), turn.model(), o.reason(), o.ttftMs(), o.totalMs(), completion, attempts));
        } catch (RuntimeException e) {
            // Metrics must never cost an answer its terminal event.
            LOG.warn("relay observer failed", e);
        }
    }

    private Long priceOf(String requested, String reported, int prompt, int completion) {
        return prices.find(requested).or(() -> prices.find(reported)).map(p -> p.costMicros(prompt, completion)).orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
