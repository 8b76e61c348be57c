package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.JsonBody;
import org.chatrelay.persistence.Feedback;

/**
 * The body of {@code POST /api/messages/{id}/feedback}: {@code {"rating":"up"|"down","comment"?}}; the gateway's
 * {@code POST /v1/feedback} reads the same rating and comment beside its response id.
 */
public final class FeedbackBody {
    public static final Set<String> FIELDS = Set.of("rating", "comment");
    static final int MAX_COMMENT_CHARS = 500;
    /** A 500-character comment of 4-byte characters, JSON-escaped, fits with room to spare. */
    public static final int MAX_BYTES = 8192;

    private FeedbackBody() {
    }

    public static Feedback parse(JsonNode body) throws ApiException {
        String rating = JsonBody.optionalString(body, "rating");
        if (!Feedback.UP.equals(rating) && !Feedback.DOWN.equals(rating)) {
            throw new ApiException(400, "invalid_request", "'rating' must be \"up\" or \"down\".", "rating");
        }
        String comment = JsonBody.optionalString(body, "comment");
        if (comment != null && !comment.isBlank()) {
            comment = comment.strip();
            try {
                MessageText.check(comment, MAX_COMMENT_CHARS);
            } catch (ApiException e) {
                // The same rules as a message (length, NUL, broken surrogates), named for this field.
                throw new ApiException(e.status, e.code, "'comment': " + e.getMessage(), "comment");
            }
        }
        return new Feedback(rating, comment == null || comment.isBlank() ? null : comment);
    }
}
