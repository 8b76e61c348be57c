package org.chatrelay.config;

/**
 * Price of one model in micro-dollars per million tokens, so that $0.28/M is the exact integer 280000 and
 * the cost of an answer is integer arithmetic, not floating point.
 */
public record ModelPrice(long inputMicrosPerMillion, long outputMicrosPerMillion, long cachedInputMicrosPerMillion,
                         Long reasoningMicrosPerMillion) {

    /** Reasoning tokens at the output price, as providers bill them unless a model's price says otherwise. */
    public ModelPrice(long inputMicrosPerMillion, long outputMicrosPerMillion, long cachedInputMicrosPerMillion) {
        this(inputMicrosPerMillion, outputMicrosPerMillion, cachedInputMicrosPerMillion, null);
    }

    /**
     * Cost with the reasoning tokens priced apart. {@code completionTokens} includes them (both dialects count
     * reasoning as output), so only a separate reasoning price changes anything.
     */
    public long costMicros(Integer promptTokens, Integer completionTokens, Integer reasoningTokens) {
        if (reasoningMicrosPerMillion == null || reasoningTokens == null || reasoningTokens <= 0) {
            return costMicros(promptTokens, completionTokens);
        }
        long in = promptTokens == null ? 0 : promptTokens;
        long out = completionTokens == null ? 0 : completionTokens;
        long reasoning = Math.min(reasoningTokens, out);
        long numerator = in * inputMicrosPerMillion + (out - reasoning) * outputMicrosPerMillion + reasoning * reasoningMicrosPerMillion;
        return (numerator + 500_000) / 1_000_000;
    }

    /** Cost in whole micro-dollars, rounded half up. Nulls count as zero tokens. */
    public long costMicros(Integer promptTokens, Integer completionTokens) {
        long in = promptTokens == null ? 0 : promptTokens;
        long out = completionTokens == null ? 0 : completionTokens;
        long numerator = in * inputMicrosPerMillion + out * outputMicrosPerMillion;
        return (numerator + 500_000) / 1_000_000;
    }
}
