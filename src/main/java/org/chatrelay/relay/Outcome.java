package org.chatrelay.relay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.EndReason;

/**
 * How an answer ended, frozen at the moment it ended. {@code httpStatus} and {@code retryAfter} matter only when
 * the browser's event stream never began (the failure is then a JSON error response).
 *
 * @param provider the provider that answered or was tried last (null: none was tried)
 * @param price    that provider's price for the model, if the providers file gives one
 * @param attempts every upstream request made, in order
 * @param thinking the model's reasoning and its figures (empty text and nulls when it showed none)
 */
public record Outcome(EndReason reason, String errorCode, String message, int httpStatus, Optional<Duration> retryAfter,
               String text, String finishReason, String modelReported, Integer promptTokens, Integer completionTokens,
               Integer ttftMs, int totalMs, Integer maxGapMs, boolean streamOpen, String flags,
               String provider, Optional<ModelPrice> price, List<AttemptRow> attempts, Thinking thinking) {

    /**
     * What the model thought before (and between) its answer.
     *
     * @param reasoningTokens as the provider reported them apart; null when it did not
     */
    public record Thinking(String text, Integer firstReasoningMs, Integer thinkingMs, Integer reasoningTokens) {
    }

    /**
     * The flag of a stream that gave its finish reason and closed without its terminator (docs/sse-conformance.md case
     * 27).
     */
    static final String NO_DONE = "no_done";

    /** @param from the attempt whose stream facts (finish reason, model, usage) and provider count, or null */
    static Outcome of(Ending e, String text, Attempt from, AnswerClock clock, boolean streamOpen, List<AttemptRow> attempts) {
        Attempt.Facts f = from != null ? from.facts() : Attempt.Facts.NONE;
        return new Outcome(e.reason(), e.code(), e.message(), e.httpStatus(), e.retryAfter(), text, f.finishReason(),
                f.modelReported(), f.promptTokens(), f.completionTokens(),
                clock.ttftMs(), clock.totalMs(System.nanoTime()), clock.maxGapMs(), streamOpen, e.flag(),
                from != null ? from.candidate.provider().name() : null, from != null ? from.candidate.price() : Optional.empty(),
                attempts, new Thinking("", null, null, f.reasoningTokens()));
    }

    /** The same outcome with the reasoning the browser was sent and its timings. */
    Outcome withReasoning(String reasoning, AnswerClock clock) {
        Thinking t = new Thinking(reasoning, clock.firstReasoningMs(), clock.thinkingMs(), thinking.reasoningTokens());
        return new Outcome(reason, errorCode, message, httpStatus, retryAfter, text, finishReason, modelReported, promptTokens,
                completionTokens, ttftMs, totalMs, maxGapMs, streamOpen, flags, provider, price, attempts, t);
    }

    boolean retryable() {
        // INTERRUPTED: this node stopped; the same message sent again lands on a node that is up.
        return reason == EndReason.TIMEOUT || reason == EndReason.UPSTREAM_CUT || reason == EndReason.INTERRUPTED
                || (reason == EndReason.UPSTREAM_ERROR && (httpStatus == 503 || httpStatus == 504));
    }
}
