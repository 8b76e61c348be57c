package org.chatrelay.persistence;

/**
 * A row the caller referred to does not exist <em>or</em> belongs to another visitor. The two cases are
 * deliberately indistinguishable so the API offers no existence oracle.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
