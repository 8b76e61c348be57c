package org.chatrelay.relay;

import java.time.Duration;
import java.util.Optional;
import org.chatrelay.persistence.EndReason;

/**
 * How an answer ends, as {@link RelayStream#end} takes it. {@code httpStatus} and {@code retryAfter} matter only when
 * the browser's stream never began (the ending is then a JSON error response).
 *
 * @param code null for an answer the model finished or the user stopped
 * @param flag {@link Outcome#NO_DONE} for a stream that closed without its terminator, else null
 */
record Ending(EndReason reason, String code, String message, int httpStatus, Optional<Duration> retryAfter, String flag) {

    /** The provider said the answer is done (or only closed after its finish reason: {@code flag}). */
    static Ending completed(String finishReason, String flag) {
        EndReason reason = "length".equals(finishReason) || "max_tokens".equals(finishReason) ? EndReason.LENGTH : EndReason.COMPLETED;
        return new Ending(reason, null, null, 200, Optional.empty(), flag);
    }
}
