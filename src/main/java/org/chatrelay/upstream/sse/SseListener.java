package org.chatrelay.upstream.sse;

/** Receives what {@link SseDecoder} finds, synchronously, on the thread that called {@code feed}. */
public interface SseListener {

    void onEvent(SseEvent event);

    /** A comment line; {@code comment} is the text after the ':'. Heartbeats land here: proof of liveness. */
    default void onComment(String comment) {
    }

    /** A {@code retry} field whose value was all ASCII digits; other values are ignored, as the spec requires. */
    default void onRetry(long millis) {
    }
}
