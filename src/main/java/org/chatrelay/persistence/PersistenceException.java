package org.chatrelay.persistence;

/** A database failure, wrapped once at the repository edge so callers never see {@link java.sql.SQLException}. */
public class PersistenceException extends RuntimeException {

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public PersistenceException(String message) {
        super(message);
    }

    /**
     * The message with the database's own reason (the innermost cause's class, SQLState and first line), for a log:
     * "storage unavailable" alone cannot tell a pool timeout from a lock timeout. The driver's messages carry the
     * statement with its placeholders, not the values bound to it.
     */
    public String withCause() {
        Throwable root = getCause();
        if (root == null) {
            return getMessage();
        }
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String state = root instanceof java.sql.SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
        String line = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        return getMessage() + ": " + root.getClass().getSimpleName() + state + " " + (line.length() > 300 ? line.substring(0, 300) + "…" : line);
    }
}
