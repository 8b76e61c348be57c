package org.chatrelay.relay;

import java.util.Locale;

/** How an answer ended; stored in {@code answer_usage.end_reason} and as the assistant message's status. */
public enum EndReason {
    COMPLETED, LENGTH, USER_STOP, CLIENT_GONE, UPSTREAM_ERROR, UPSTREAM_CUT, TIMEOUT, INTERRUPTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
