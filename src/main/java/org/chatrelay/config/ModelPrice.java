package org.chatrelay.config;

/**
 * Price of one model in micro-dollars per million tokens, so that $0.28/M is the exact integer 280000 and
 * the cost of an answer is integer arithmetic, not floating point.
 */
public record ModelPrice(long inputMicrosPerMillion, long outputMicrosPerMillion, long cachedInputMicrosPerMillion) {

    /** Cost in whole micro-dollars, rounded half up. Nulls count as zero tokens. */
    public long costMicros(Integer promptTokens, Integer completionTokens) {
        long in = promptTokens == null ? 0 : promptTokens;
        long out = completionTokens == null ? 0 : completionTokens;
        long numerator = in * inputMicrosPerMillion + out * outputMicrosPerMillion;
        return (numerator + 500_000) / 1_000_000;
    }
}
