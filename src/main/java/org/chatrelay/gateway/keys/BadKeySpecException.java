package org.chatrelay.gateway.keys;

/** A key's settings the admin got wrong: which field, and what is expected. */
public final class BadKeySpecException extends RuntimeException {
    private final String field;

    BadKeySpecException(String field, String message) {
        super(field + ": " + message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
