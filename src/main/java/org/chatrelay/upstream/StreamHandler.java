package org.chatrelay.upstream;

import org.chatrelay.upstream.sse.SseEvent;

/**
 * What a provider dialect makes of an upstream event stream, independent of the wire format.
 * Called on the upstream client's thread, one call at a time per stream.
 */
public interface StreamHandler {
    /**
     * The provider's event as it came, before the dialect reads it (and calls the methods below for it): what a
     * same-dialect gateway call passes on unchanged.
     */
    default void onRawEvent(SseEvent event) {
    }

    /** A piece of answer text (never empty). */
    void onText(String text);

    /**
     * A piece of the model's reasoning (OpenAI-compatible {@code reasoning_content}/{@code reasoning}, Anthropic
     * {@code thinking_delta}), never empty; it comes before the answer text it leads to.
     */
    default void onReasoning(String text) {
    }

    /** Reasoning tokens as the provider reports them apart ({@code completion_tokens_details.reasoning_tokens}). */
    default void onReasoningTokens(int tokens) {
    }

    /** The provider's own finish/stop reason, e.g. {@code stop}, {@code length}, {@code end_turn}. */
    void onFinish(String finishReason);

    /** Token usage as reported by the provider; later calls replace earlier ones (Anthropic's are cumulative). */
    void onUsage(Integer promptTokens, Integer completionTokens);

    /** The model the provider says answered. */
    void onModel(String model);

    /** An error object inside a 200 stream. */
    void onProviderError(String code, String message);

    /** The provider asked for a tool call, which this text-only app does not execute. */
    void onToolCall();

    /** The explicit end of the stream ({@code [DONE]}, {@code message_stop}). */
    void onTerminator();

    /** The stream broke the dialect's rules (malformed JSON, contradictory event names). */
    void onProtocolError(String message);
}
