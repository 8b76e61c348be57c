package org.chatrelay.gateway.limits;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.chatrelay.config.Dialect;
import org.chatrelay.config.ModelPrice;
import org.chatrelay.config.ModelReasoning;
import org.chatrelay.config.PriceTable;
import org.chatrelay.routing.Candidate;

/**
 * What a gateway call may cost at most, reserved against its key's budgets ({@link KeyLimits#admit}) before it runs:
 * the most any provider of its route (the canary arm, then the fallbacks) could charge for it, at the price the
 * recorder will charge that provider at, every output token at the dearer of the output and reasoning prices
 * (completion tokens include reasoning, and the split is known only afterwards). Reserving less than a call can cost
 * lets concurrent calls, each admitted under the budget, together overspend it by more than one call.
 *
 * @param micros     the reservation, in micro-dollars
 * @param capTokens  the output cap this reservation assumed for an OpenAI-dialect provider when the client set none
 * @param capMember  the member that carries it upstream: {@code max_completion_tokens} where a model of the route is
 *                   asked for a {@code reasoning_effort} (OpenAI's reasoning models refuse {@code max_tokens}), else
 *                   {@code max_tokens}, which every OpenAI-compatible server takes
 */
public record CallReserve(long micros, int capTokens, String capMember) {

    /**
     * One provider the call may reach, as the recorder prices it: the provider's own price for the model, else the price
     * table's for the model asked for. Empty: nothing is reserved for it; its usage row costs nothing, unless the table
     * prices the model name the provider reports (the recorder's last resort), which no reservation can foresee.
     *
     * @param maxTokens the provider's answer length limit (the providers file's {@code maxTokens})
     */
    public record Reach(Dialect dialect, Optional<ModelPrice> price, int maxTokens, ModelReasoning reasoning) {

        public static Reach of(Candidate c, PriceTable prices, String model) {
            return new Reach(c.provider().config().dialect(), c.price().or(() -> prices.find(model)), c.provider().config().maxTokens(),
                    c.model().reasoning());
        }

        /**
         * The most output tokens this provider can bill: the client's {@code max_tokens}, else what the relay sends. An
         * Anthropic request always carries {@code max_tokens} (extended thinking counts within it, and the relay adds the
         * thinking budget on top of the provider's limit); an OpenAI-compatible one carries the cap the gateway adds.
         */
        int maxOutput(OptionalInt clientMax, int openAiCap) {
            if (clientMax.isPresent()) {
                return clientMax.getAsInt();
            }
            return dialect == Dialect.ANTHROPIC ? maxTokens + reasoning.budgetTokens() : openAiCap;
        }
    }

    /**
     * @param route        every provider the call may reach
     * @param promptTokens the prompt's tokens, counted or estimated generously
     * @param clientMax    the client's {@code max_tokens} (or {@code max_completion_tokens}), if it set one
     */
    public static CallReserve of(List<Reach> route, int promptTokens, OptionalInt clientMax) {
        // One cap for all of the route's OpenAI-dialect providers, the largest of their limits: none gets less than its own.
        int cap = route.stream().filter(r -> r.dialect() == Dialect.OPENAI).mapToInt(Reach::maxTokens).max().orElse(0);
        boolean effort = route.stream().anyMatch(r -> r.dialect() == Dialect.OPENAI && r.reasoning().effort() != null);
        long micros = route.stream().filter(r -> r.price().isPresent())
                .mapToLong(r -> worst(r.price().get(), promptTokens, r.maxOutput(clientMax, cap))).max().orElse(0);
        return new CallReserve(micros, cap, effort ? "max_completion_tokens" : "max_tokens");
    }

    /** Every output token at the dearer price: any split between reasoning and answer costs at most this. */
    static long worst(ModelPrice p, int promptTokens, int maxOutput) {
        long output = p.reasoningMicrosPerMillion() == null ? p.outputMicrosPerMillion()
                : Math.max(p.outputMicrosPerMillion(), p.reasoningMicrosPerMillion());
        return new ModelPrice(p.inputMicrosPerMillion(), output, p.cachedInputMicrosPerMillion()).costMicros(promptTokens, maxOutput);
    }
}
