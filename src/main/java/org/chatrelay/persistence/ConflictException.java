package org.chatrelay.persistence;

/** The request names a real message of the visitor's, but the conversation is not in a state that allows it. */
public final class ConflictException extends RuntimeException {
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A stable error code for the API, e.g. {@code not_last_answer}. */
    public String code() {
        return code;
    }
}
