package org.chatrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;
import org.chatrelay.config.Dialect;

/**
 * What a gateway call adds to an answer: the request members its client set (per upstream dialect, so a fallback
 * to a provider of the other dialect gets them translated), or its whole request for a provider of its own dialect
 * (passed through), whether its text is stored, and what to do once its usage
 * row is written (give back the key's claim on its budget, never before).
 */
public record CallOptions(Function<Dialect, Map<String, JsonNode>> fields, Function<Dialect, ObjectNode> passThroughs,
                          boolean storeContent, Runnable onStored) {

    /**
     * The chat page: the relay's own request, the text stored; {@code onStored} gives back what the answer held of the
     * visitor's limits (its stream slot), run also when the answer is refused before anything of it was stored.
     */
    static CallOptions chat(Runnable onStored) {
        return new CallOptions(d -> Map.of(), d -> null, true, onStored);
    }

    /** The client's own request when a provider of this dialect serves it unchanged, else null (translated). */
    ObjectNode passThrough(Dialect dialect) {
        return passThroughs.apply(dialect);
    }

    Map<String, JsonNode> fields(Dialect dialect) {
        return fields.apply(dialect);
    }
}
