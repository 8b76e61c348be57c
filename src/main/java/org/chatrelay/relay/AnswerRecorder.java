package org.chatrelay.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.spool.DurableStore;
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
 * live streams need (docs/benchmarks.md); a lone answer is written at once, as before. The numbers written are
 * {@link UsageAccounting}'s.
 */
final class AnswerRecorder implements AutoCloseable {
    static final int MAX_BATCH = 64;
    private static final Logger LOG = LoggerFactory.getLogger(AnswerRecorder.class);
    private final DurableStore store;
    private final UsageAccounting usage;
    private final RelayLog log;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private volatile RelayObserver observer = RelayObserver.NONE;

    private record Job(AnswerRequest answer, Outcome outcome, AnswerClock clock, Consumer<AnswerRecord> then) {
    }

    AnswerRecorder(DurableStore store, UsageAccounting usage, RelayLog log) {
        this.store = store;
        this.usage = usage;
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
     * send its terminal event: {@code storage_unavailable} for an answer that is durable nowhere. Every answer of the
     * batch gets its event whatever another's numbers or the store do: a chat POST and its visitor's stream slot wait
     * for it.
     */
    private void write(List<Job> batch) {
        List<Job> jobs = new ArrayList<>(batch.size());
        List<UsageAccounting.Accounted> accounted = new ArrayList<>(batch.size());
        for (Job job : batch) {
            try {
                accounted.add(usage.account(job.answer(), job.outcome(), job.clock()));
                jobs.add(job);
            } catch (RuntimeException e) {
                LOG.error("cannot compute the numbers of answer {}: it is not stored", job.answer().ids().assistantMessageId(), e);
                AnswerRecord none = new AnswerRecord(job.answer().ids().assistantMessageId(), null, null, null, null, null, false, null, null);
                ended(job, none);
            }
        }
        boolean[] durable;
        try {
            durable = jobs.isEmpty() ? new boolean[0] : store.store(accounted.stream().map(UsageAccounting.Accounted::end).toList());
        } catch (RuntimeException e) {
            LOG.error("cannot store a batch of {} answers", jobs.size(), e);
            durable = new boolean[jobs.size()];
        }
        for (int i = 0; i < jobs.size(); i++) {
            AnswerRecord record = durable[i] ? accounted.get(i).record() : accounted.get(i).record().unstored();
            ended(jobs.get(i), record);
        }
    }

    private void ended(Job job, AnswerRecord record) {
        if (!record.stored()) {
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

    /**
     * An answer whose rows were never stored (its insert failed): there is nothing to write, but the provider may have
     * billed it, so its numbers are logged and counted as for any answer.
     */
    void unstored(AnswerRequest answer, Outcome outcome, AnswerClock clock) {
        try {
            AnswerRecord record = usage.account(answer, outcome, clock).record().unstored();
            log.answer(answer, outcome, record);
            observe(answer, outcome, record);
        } catch (RuntimeException e) {
            LOG.error("cannot compute the numbers of unstored answer {}", answer.ids().assistantMessageId(), e);
        }
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
            List<AnswerSummary.Attempt> attempts = new ArrayList<>();
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
