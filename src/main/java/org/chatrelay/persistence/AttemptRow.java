package org.chatrelay.persistence;

import java.time.Instant;

/**
 * One upstream request made for an answer (a row of answer_attempt).
 *
 * @param outcome    answered | failed | cancelled
 * @param httpStatus null when no response arrived
 * @param waitedMs   time since the previous attempt failed (or the answer began): back-off, Retry-After, queue wait
 */
public record AttemptRow(int number, String provider, String model, String outcome, Integer httpStatus, String errorCode,
                         int waitedMs, Instant startedAt, int durationMs) {
}
