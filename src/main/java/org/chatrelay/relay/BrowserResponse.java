package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.chatrelay.http.JsonErrors;

/**
 * The browser's side of one answer: nothing is committed until {@link #open} (so a failure before any upstream
 * stream began can still be a JSON error with its own status), and the async request is completed once.
 */
final class BrowserResponse {
    private final AsyncContext async;
    private final HttpServletResponse response;

    BrowserResponse(AsyncContext async) {
        this.async = async;
        this.response = (HttpServletResponse) async.getResponse();
    }

    /** Commits the 200 event stream and stages its first frame; the caller calls {@code begin()} outside its lock. */
    SseSink open(byte[] startFrame, Runnable onDrained, Consumer<Throwable> onGone) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx reads this and passes each frame on unbuffered.
        response.setHeader("X-Accel-Buffering", "no");
        SseSink sink;
        try {
            sink = new SseSink(response.getOutputStream(), onDrained, onGone);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the response stream", e);
        }
        sink.send(startFrame);
        return sink;
    }

    /** No stream began: a JSON error (with {@code Retry-After} when there is one), then complete. */
    void refuse(Outcome o, String conversationId) {
        JsonErrors.write(response, o.httpStatus(), o.errorCode(), o.message(), o.retryAfter(), conversationId);
        complete();
    }

    void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (timeout or error dispatch): nothing left to do.
        }
    }
}
