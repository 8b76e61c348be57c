package org.chatrelay.persistence;

/**
 * An answer's reasoning and its figures: stored with the answer (message.reasoning, answer_usage's reasoning
 * columns), shown folded in the page and the admin transcript, never sent back upstream with the history.
 *
 * @param firstReasoningMs from the request to the first reasoning byte
 * @param thinkingMs       from the first reasoning byte to the first answer token (or the last reasoning byte)
 * @param reasoningTokens  the provider's count, else estimated from the text
 * @param reasoningSource  provider | estimated
 */
public record AnswerThinking(String reasoning, Integer firstReasoningMs, Integer thinkingMs, Integer reasoningTokens,
                             String reasoningSource) {

    /** True when the model showed reasoning or the provider counted reasoning tokens. */
    public boolean any() {
        return reasoning != null && !reasoning.isEmpty() || reasoningTokens != null && reasoningTokens > 0;
    }
}
