package org.chatrelay.gateway.limits;

/**
 * A gateway call admitted by {@link KeyLimits}. {@link #close()} ends its claim on the key's streams and budget:
 * call it once the call's usage row (with its cost and key id) is stored, never before, or another node could
 * spend the same budget twice in between.
 */
public interface Admission extends AutoCloseable {
    /** For a key without limits: nothing was claimed, nothing to give back. */
    Admission NONE = () -> { };

    @Override
    void close();
}
