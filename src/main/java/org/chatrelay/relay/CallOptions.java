package org.chatrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Function;
import org.chatrelay.config.Dialect;

/**
 * What a gateway call adds to an answer: the request members its client set (per upstream dialect, so a fallback
 * to a provider of the other dialect gets them translated), whether its text is stored, and what to do once its usage
 * row is written (give back the key's claim on its budget, never before).
 */
public record CallOptions(Function<Dialect, Map<String, JsonNode>> fields, boolean storeContent, Runnable onStored) {

    /** The chat page: the relay's own request, the text stored. */
    static final CallOptions CHAT = new CallOptions(d -> Map.of(), true, () -> { });

    Map<String, JsonNode> fields(Dialect dialect) {
        return fields.apply(dialect);
    }
}
