package org.chatrelay.relay;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.http.ApiException;

/**
 * The SSE {@code id} of a chat event, {@code <R>.<T>}: the reasoning and answer-text characters (UTF-16 code units, so
 * Java's {@code String.length()} and the page's {@code string.length} agree) delivered up to and including the event.
 * A resume sends it back ({@code Last-Event-ID} or {@code ?after=}) and gets exactly what follows it.
 */
record EventId(int reasoning, int text) {
    static final EventId START = new EventId(0, 0);
    /** Both counts plain decimal numbers without a sign or leading zeros, at most 9 digits (an answer is far shorter). */
    private static final Pattern FORMAT = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    /** @param raw the client's id; null or absent means from the beginning */
    static EventId parse(String raw) throws ApiException {
        if (raw == null) {
            return START;
        }
        Matcher m = FORMAT.matcher(raw);
        if (!m.matches()) {
            throw new ApiException(400, "invalid_request", "The resume position must look like '<reasoning>.<text>', e.g. '0.120'.");
        }
        return new EventId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The same frame with this id's line first (SSE fields of one event may come in any order). */
    byte[] on(byte[] frame) {
        return SseFrames.id(new FrameBuffer(frame.length + 24), this).put(frame).toByteArray();
    }

    @Override
    public String toString() {
        return reasoning + "." + text;
    }
}
