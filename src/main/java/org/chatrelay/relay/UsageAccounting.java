package org.chatrelay.relay;

import java.time.Instant;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.tokens.TokenEstimator;

/**
 * An ended answer's numbers: its tokens (the provider's, else estimated, and flagged so), its cost and speed, as the
 * browser's terminal event shows them ({@link AnswerRecord}) and the usage row stores them ({@link AnswerEnd}).
 */
final class UsageAccounting {
    private final TokenEstimator estimator;
    private final PriceTable prices;

    /** The same numbers for the browser and for the database. */
    record Accounted(AnswerRecord record, AnswerEnd end) {
    }

    UsageAccounting(TokenEstimator estimator, PriceTable prices) {
        this.estimator = estimator;
        this.prices = prices;
    }

    Accounted account(AnswerRequest answer, Outcome o, AnswerClock clock) {
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
        return new Accounted(record, end);
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

    private Long priceOf(String requested, String reported, int prompt, int completion, Integer reasoning) {
        return prices.find(requested).or(() -> prices.find(reported)).map(p -> p.costMicros(prompt, completion, reasoning)).orElse(null);
    }
}
