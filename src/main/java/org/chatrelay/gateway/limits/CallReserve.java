package org.chatrelay.gateway.limits;

import org.chatrelay.config.PriceTable;

/**
 * What a gateway call may cost at most, to reserve against its key's budgets ({@link KeyLimits#admit}): the prompt at
 * the input price plus the whole {@code max_tokens} at the output price. The stored cost is the same formula on the
 * tokens really used, so it cannot exceed this while the prompt's count is not underestimated; that is what bounds a
 * key's overspend to one call. A model without a price costs nothing in the usage rows, so it reserves nothing.
 */
public final class CallReserve {
    private CallReserve() {
    }

    /**
     * @param promptTokens    the prompt's tokens, counted or estimated generously
     * @param maxOutputTokens the request's max_tokens (or the provider's cap when the request sets none)
     */
    public static long micros(PriceTable prices, String model, int promptTokens, int maxOutputTokens) {
        return prices.find(model).map(p -> p.costMicros(promptTokens, maxOutputTokens)).orElse(0L);
    }
}
