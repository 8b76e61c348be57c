package org.chatrelay.config;

import java.time.Duration;

/**
 * A provider's four timers. None of them is a whole-request timer on the HTTP exchange: {@code idle} is the
 * longest silence between chunks, so a healthy long stream is never cut; {@code total} bounds the whole answer.
 *
 * @param connect    TCP (and TLS) connection established
 * @param firstToken from sending the request to the first piece of answer text
 * @param idle       longest gap between two chunks of the stream
 * @param total      the whole answer, retries included
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
}
