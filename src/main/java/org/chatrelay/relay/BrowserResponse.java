package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The client's side of one answer: nothing is committed until {@link #open} (so a failure before any upstream
 * stream began can still be an error with its own status), and the async request is completed once. What is
 * written is its {@link Delivery}'s business.
 */
final class BrowserResponse {
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Delivery delivery;

    BrowserResponse(AsyncContext async, Delivery delivery) {
        this.async = async;
        this.response = (HttpServletResponse) async.getResponse();
        this.delivery = delivery;
    }

    Delivery delivery() {
        return delivery;
    }

    HttpServletResponse response() {
        return response;
    }

    /** Opens the stream and stages its first frame; the caller calls {@code begin()} outside its lock. */
    SseSink open(byte[] firstFrame, Runnable onDrained, Consumer<Throwable> onGone) {
        SseSink sink;
        try {
            sink = new SseSink(response.getOutputStream(), onDrained, onGone);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the response stream", e);
        }
        if (firstFrame.length > 0) {
            sink.send(firstFrame);
        }
        return sink;
    }

    /** Opens the stream of a resumable answer: the chat POST becomes the first viewer of its feed, after {@code start}. */
    FeedViewer view(AnswerFeed feed, byte[] start) {
        try {
            return FeedViewer.post(feed, async, start);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the response stream", e);
        }
    }

    /** No stream began: the delivery's error (with {@code Retry-After} when there is one), then complete. */
    void refuse(Outcome o, String conversationId) {
        delivery.refuse(response, o, conversationId);
        complete();
    }

    /**
     * Refuses an answer whose stream was made ready but not begun (its rows could not be stored): the event stream's
     * headers are set and nothing is committed, so they are cleared for the error.
     */
    void refuseBeforeStream(Outcome o) {
        if (!response.isCommitted()) {
            response.reset();
        }
        refuse(o, null);
    }

    void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (timeout or error dispatch): nothing left to do.
        }
    }
}
