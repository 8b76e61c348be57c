package org.chatrelay.relay;

import jakarta.servlet.http.HttpServletResponse;
import org.chatrelay.config.Dialect;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * How one answer reaches its client, the only part of the answer path that differs between front ends: the chat
 * page's events, OpenAI chunks, Anthropic events or one JSON body. {@link RelayStream} produces the answer once
 * (routing, retries, timers, storage) and asks its delivery for the bytes of each step; a null means nothing is sent
 * for that step (a non-streaming body writes nothing before its end).
 *
 * <p>Called under the stream's lock, one call at a time per answer, so an implementation may keep state unguarded.
 */
public interface Delivery {
    /** The status and headers of an event stream, for a delivery's {@link #open}. */
    static void eventStream(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx reads this and passes each frame on unbuffered.
        response.setHeader("X-Accel-Buffering", "no");
    }

    /**
     * The answer's stream begins: set the status and headers and return the first frame (empty: none). Nothing is
     * written before the first non-empty frame, so a delivery that returns an empty frame may still set the status
     * in {@link #terminal}.
     */
    byte[] open(HttpServletResponse response, String conversationId, String messageId, String userMessageId, String model,
                String provider);

    byte[] text(String piece);

    byte[] reasoning(String piece);

    /** A keep-alive while nothing else is sent; null when the delivery has none (a JSON body). */
    byte[] heartbeat();

    /**
     * The attempt whose events follow is sent to a provider of this dialect: a delivery of the same dialect passes its
     * raw events on ({@link #raw}) and sends nothing for {@link #text} and {@link #reasoning}; of another, it translates.
     */
    default void from(Dialect upstream) {
    }

    /** A provider event as it came (pass-through only); null: nothing to send for it. */
    default byte[] raw(SseEvent event) {
        return null;
    }

    /**
     * The chat page's answers can be resumed (docs/api.md, "Resuming an answer"): their viewers read the answer's
     * {@link AnswerFeed} and {@link #text}, {@link #reasoning} and {@link #heartbeat} are not asked; the browser leaving
     * detaches the answer for the grace period instead of ending it. Everything else is delivered frame by frame.
     */
    default boolean resumable() {
        return false;
    }

    /** A tool call passed on to a client that runs its own tools; the chat page runs none, so it ends its answer. */
    default boolean toolCallsPassed() {
        return false;
    }

    /** The last bytes, once the answer is stored (or spooled); the response is completed after them. */
    byte[] terminal(HttpServletResponse response, Outcome outcome, AnswerRecord record);

    /** No stream began: the failure in the client's own error shape (the response is completed after it). */
    void refuse(HttpServletResponse response, Outcome outcome, String conversationId);
}
