package org.chatrelay.persistence;

/** A database failure, wrapped once at the repository edge so callers never see {@link java.sql.SQLException}. */
public class PersistenceException extends RuntimeException {

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public PersistenceException(String message) {
        super(message);
    }
}
