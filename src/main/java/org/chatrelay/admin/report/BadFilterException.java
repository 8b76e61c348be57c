package org.chatrelay.admin.report;

/** A report or list parameter that is not valid; its message is safe to show (it never echoes the value). */
public final class BadFilterException extends RuntimeException {
    public BadFilterException(String message) {
        super(message);
    }
}
