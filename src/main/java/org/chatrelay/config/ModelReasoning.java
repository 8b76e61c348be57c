package org.chatrelay.config;

/**
 * How a model is asked to think, per model in the providers file: Anthropic's extended thinking budget
 * ({@code "thinking": {"budgetTokens": n}}) or an OpenAI-compatible {@code reasoningEffort}. A model that reasons
 * on its own (DeepSeek's reasoner) streams its reasoning without either; these only turn it on where it is optional.
 *
 * @param budgetTokens Anthropic's {@code budget_tokens}; 0 = not asked
 * @param effort       the OpenAI-compatible {@code reasoning_effort} ({@code low}, {@code medium}, {@code high}…); null = not asked
 */
public record ModelReasoning(int budgetTokens, String effort) {
    public static final ModelReasoning NONE = new ModelReasoning(0, null);
    /** Anthropic's smallest allowed budget. */
    public static final int MIN_BUDGET = 1024;

    /** The picker marks such a model as one that thinks. */
    public boolean enabled() {
        return budgetTokens > 0 || effort != null;
    }
}
