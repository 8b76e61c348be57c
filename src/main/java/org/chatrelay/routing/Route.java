package org.chatrelay.routing;

import java.util.List;

/**
 * Where one answer may come from, in order: the providers of the requested model (the canary first for a visitor in
 * the canary arm), then those of its fallback model.
 *
 * @param arm {@code canary} when the canary provider leads the route, else {@code main}; stored with the answer
 */
public record Route(String model, String arm, List<Candidate> candidates) {
}
