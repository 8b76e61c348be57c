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
     * "storage unavailable" alone cannot tell a pool timeout from a lock timeout. The driver's messages mostly carry
     * the statement with its placeholders, not the values bound to it; but a data error (SQLState class 22: a value too
     * long, a failed conversion) quotes the value in H2's first line, which may be a visitor's text, so of those only
     * the class and the SQLState are kept.
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
        if (root instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            return getMessage() + ": " + root.getClass().getSimpleName() + state + " (a data error; its message may quote the value)";
        }
        String line = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        return getMessage() + ": " + root.getClass().getSimpleName() + state + " " + (line.length() > 300 ? line.substring(0, 300) + "…" : line);
    }
}
