package org.chatrelay.upstream.sse;

/**
 * The stream broke one of the decoder's size limits. Thrown from {@code feed}; the decoder holds no more than the
 * limit, and the stream should be abandoned (or the decoder {@link SseDecoder#reset() reset}).
 */
public final class SseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason { LINE_TOO_LONG, EVENT_TOO_LARGE }

    private final Reason reason;

    SseException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** {@code seen} is only a lower bound: we stop buffering the moment the limit is passed. */
    static SseException lineTooLong(int limit, long seen) {
        return new SseException(Reason.LINE_TOO_LONG,
                "line too long: > " + limit + " bytes (at least " + seen + " bytes without a line end)");
    }

    static SseException eventTooLarge(int limit, long size) {
        return new SseException(Reason.EVENT_TOO_LARGE,
                "event too large: > " + limit + " bytes (data would be " + size + " bytes)");
    }
}
