package org.chatrelay.upstream;

/** Lifecycle of one upstream exchange. Events inside the stream arrive through the dialect's {@link StreamHandler}. */
public interface ExchangeListener {
    /** The connection is open and the request is being sent (the connect timeout no longer applies). */
    default void onRequestSent() {
    }

    /** A 2xx {@code text/event-stream} response began; dialect events follow. */
    void onAccepted(int status);

    /** The request failed before any event stream began. Called at most once, and then nothing else is. */
    void onRejected(UpstreamFailure failure);

    /** The event stream ended: {@code failure} is null for a clean end of body, else the cause (idle timeout, reset, abort). */
    void onEnded(Throwable failure);

    /**
     * Backpressure: asked after each upstream chunk is decoded. Return false to stop reading from upstream until
     * {@link UpstreamExchange#resume()} is called, so a slow browser never makes the relay buffer without bound.
     */
    boolean readyForMore();

    /**
     * An unexpected exception in the decode path (decoder, dialect or handler): a defect on this side, not the
     * provider's. The request is aborted right after; {@link #onEnded} follows with the exception.
     */
    default void onDecodeFailure(RuntimeException e) {
    }
}
