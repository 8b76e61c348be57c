package org.chatrelay.persistence;

/**
 * What the browser reported about one answer: first paint after the Send click, and the buffering self-check.
 * Any field may be null: the page may have closed before it could report.
 */
public record ClientMetrics(Integer clientTtftMs, Integer maxLagMs, Boolean bufferingSuspected) {
}
