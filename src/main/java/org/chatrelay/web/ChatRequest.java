package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Function;
import org.chatrelay.config.ModelCatalog;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.Ids;
import org.chatrelay.http.JsonBody;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerRewrites;
import org.chatrelay.persistence.AnswerStart;

/**
 * The body of {@code POST /api/chat}, checked. Exactly one of four kinds of answer:
 * <ul>
 * <li>a new question: {@code message} (with {@code conversationId} to continue a conversation);</li>
 * <li>{@code "regenerate": true}: a new answer to the conversation's last question;</li>
 * <li>{@code "editOf": userMessageId} + {@code message}: the last question, edited, and a new answer;</li>
 * <li>{@code "continueOf": assistantMessageId}: the last answer, which ended early, continued.</li>
 * </ul>
 * {@code model} (optional) must be one of the catalog's; it is then remembered for the conversation.
 */
record ChatRequest(String conversationId, String message, String model, boolean regenerate, String editOf, String continueOf) {
    static final Set<String> FIELDS = Set.of("conversationId", "message", "model", "regenerate", "editOf", "continueOf");

    static ChatRequest from(JsonNode body, int maxChars, ModelCatalog models) throws ApiException {
        String conversationId = JsonBody.optionalString(body, "conversationId");
        String message = JsonBody.optionalString(body, "message");
        String model = JsonBody.optionalString(body, "model");
        String editOf = JsonBody.optionalString(body, "editOf");
        String continueOf = JsonBody.optionalString(body, "continueOf");
        JsonNode regen = body.get("regenerate");
        if (regen != null && !regen.isNull() && !regen.isBoolean()) {
            throw new ApiException(400, "invalid_request", "'regenerate' must be true or false.", "regenerate");
        }
        boolean regenerate = regen != null && regen.asBoolean(false);
        int kinds = (regenerate ? 1 : 0) + (editOf != null ? 1 : 0) + (continueOf != null ? 1 : 0);
        if (kinds > 1) {
            throw new ApiException(400, "invalid_request", "Use only one of 'regenerate', 'editOf' and 'continueOf'.");
        }
        if (kinds == 1 && conversationId == null) {
            throw new ApiException(400, "invalid_request", "'conversationId' is required to regenerate, edit or continue.", "conversationId");
        }
        if (regenerate || continueOf != null) {
            if (message != null) {
                throw new ApiException(400, "invalid_request", "'message' must be absent when regenerating or continuing.", "message");
            }
        } else {
            message = MessageText.check(message, maxChars);
        }
        if (model != null && !models.contains(model)) {
            throw new ApiException(400, "invalid_request", "'model' is not one of the configured models.", "model");
        }
        for (String id : new String[] {conversationId, editOf, continueOf}) {
            if (id != null && !Ids.UUID.matcher(id).matches()) {
                // Same answer as for someone else's conversation or message: no oracle for which ids exist.
                throw new ApiException(404, "not_found", "Conversation not found.");
            }
        }
        return new ChatRequest(conversationId, message, model, regenerate, editOf, continueOf);
    }

    /** A question (new or follow-up), not a regenerate, edit or continue. */
    boolean question() {
        return !regenerate && editOf == null && continueOf == null;
    }

    /** How a regenerate's, edit's or continue's rows are opened, in one transaction with the ownership check. */
    Function<AnswerStart, AnswerIds> opener(AnswerRewrites rewrites) {
        if (regenerate) {
            return rewrites::regenerate;
        }
        if (editOf != null) {
            return start -> rewrites.edit(start, editOf);
        }
        if (continueOf != null) {
            return start -> rewrites.continueAnswer(start, continueOf);
        }
        throw new IllegalStateException("a question is opened by RelayService.startQuestion");
    }
}
