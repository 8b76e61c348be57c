package org.chatrelay.persistence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How an answer ended; stored in {@code answer_usage.end_reason} and as the assistant message's status. It lives
 * beside the persistence records because it is a stored value: the relay writes it, the rewrites and the admin report
 * read it back, and persistence may import neither of them.
 *
 * <p>{@code webapp/js/actions.js} keeps a copy of the continuable codes; {@code webapp/js/test/end-reasons.test.mjs}
 * reads this file and fails when the copy differs, so keep each constant's flags on its own line.
 */
public enum EndReason {
    // code           continuable  error  done
    COMPLETED(        false,       false, true),
    LENGTH(           true,        false, true),
    USER_STOP(        true,        false, true),
    CLIENT_GONE(      true,        false, false),
    UPSTREAM_ERROR(   true,        true,  false),
    UPSTREAM_CUT(     true,        true,  false),
    TIMEOUT(          true,        true,  false),
    INTERRUPTED(      true,        true,  false);

    private final boolean continuable;
    private final boolean error;
    private final boolean done;

    EndReason(boolean continuable, boolean error, boolean done) {
        this.continuable = continuable;
        this.error = error;
        this.done = done;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason stored as {@code code}; empty for a status that is no end reason (e.g. {@code streaming}). */
    public static Optional<EndReason> fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code().equals(code)).findFirst();
    }

    /** The answer ended before the model finished it, so the visitor may ask to continue it. */
    public boolean continuable() {
        return continuable;
    }

    /** Counts as an error in the report's error rates; a stop by the user, the browser leaving or a length cut do not. */
    public boolean isError() {
        return error;
    }

    /** A stored answer that ended so is sent a {@code done} event, not an {@code error}: the model's end or the user's Stop. */
    public boolean done() {
        return done;
    }

    /** The model finished its answer (whole, or cut at its length limit): the provider gave its terminator. */
    public boolean finishedByModel() {
        return this == COMPLETED || this == LENGTH;
    }

    /** Ended by the visitor (Stop) or the browser, not by the provider. */
    public boolean cancelled() {
        return this == USER_STOP || this == CLIENT_GONE;
    }

    /** {@code code} names an error reason (false for codes that are no end reason). */
    public static boolean isError(String code) {
        return fromCode(code).map(EndReason::isError).orElse(false);
    }
}
