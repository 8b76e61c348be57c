package org.chatrelay.relay;

import java.util.Optional;
import org.chatrelay.persistence.EndReason;

/**
 * The relay's own endings of an answer in one table: the end reason, the code the browser and the usage row see, the
 * message the page shows, and the HTTP status when the browser's stream never began. The provider's refusals and
 * error events are {@link Rejection}'s table.
 */
enum StreamEnding {
    USER_STOP(EndReason.USER_STOP, null, "Stopped.", 200),
    CLIENT_GONE(EndReason.CLIENT_GONE, "client_gone", "The browser went away.", 499),
    /** Reads were paused for the browser, so the provider's silence was ours. */
    CLIENT_STALLED(EndReason.CLIENT_GONE, "client_stalled", "The browser stopped reading.", 499),
    SHUTTING_DOWN(EndReason.INTERRUPTED, "shutting_down",
            "This server is restarting; the answer is incomplete. Please send it again.", 503),
    /** The code keeps the answer's earlier name ("turn"), as the browser and stored rows know it. */
    ANSWER_TOO_LONG(EndReason.TIMEOUT, "max_turn_exceeded", "The answer took longer than the allowed maximum.", 504),
    FIRST_TOKEN_TIMEOUT(EndReason.TIMEOUT, "first_token_timeout", "The AI provider did not start answering in time.", 504),
    UPSTREAM_IDLE(EndReason.TIMEOUT, "upstream_idle_timeout",
            "The AI provider stopped sending for too long; the answer is incomplete.", 504),
    UPSTREAM_CUT(EndReason.UPSTREAM_CUT, "upstream_cut", "The AI provider's stream ended early; the answer is incomplete.", 502),
    UNSUPPORTED_TOOL_CALL(EndReason.UPSTREAM_ERROR, "unsupported_tool_call",
            "The model asked to call a tool, which this chat does not support.", 502),
    MALFORMED_STREAM(EndReason.UPSTREAM_ERROR, "upstream_protocol", "The AI provider sent a malformed stream.", 502),
    /**
     * A new question's rows could not be stored while its provider was already asked: the answer is refused before its
     * stream began and nothing of it is recorded, so its reason is never stored (the status and code are ChatServlet's).
     */
    STORAGE_UNAVAILABLE(EndReason.INTERRUPTED, "storage_unavailable", "The chat history store is unavailable. Please try again.", 503),
    /** Our own decoding failed: the same code as a malformed stream, but no strike against the provider. */
    UNREADABLE_STREAM(EndReason.UPSTREAM_ERROR, "upstream_protocol", "The AI provider sent a stream this server could not read.", 502);

    private final Ending ending;

    StreamEnding(EndReason reason, String code, String message, int httpStatus) {
        this.ending = new Ending(reason, code, message, httpStatus, Optional.empty(), null);
    }

    Ending ending() {
        return ending;
    }
}
