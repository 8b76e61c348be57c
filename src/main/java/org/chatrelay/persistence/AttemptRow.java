package org.chatrelay.persistence;

import java.time.Instant;

/**
 * One upstream request made for an answer (a row of answer_attempt).
 *
 * @param outcome    answered | failed | cancelled
 * @param httpStatus null when no response arrived
 * @param waitedMs   the back-off or Retry-After waited before it
 */
public record AttemptRow(int number, String provider, String model, String outcome, Integer httpStatus, String errorCode,
                         int waitedMs, Instant startedAt, int durationMs) {
}
