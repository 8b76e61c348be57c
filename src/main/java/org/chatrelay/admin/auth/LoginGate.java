package org.chatrelay.admin.auth;

/**
 * Marks, for the current thread, a login that came through {@link LoginServlet} (origin checked, throttled).
 * Jetty's FORM authenticator also accepts credentials posted to any {@code …/j_security_check}, before any
 * servlet filter runs, so a filter cannot guard it: {@link AdminLoginModule} refuses every login without this mark.
 */
final class LoginGate implements AutoCloseable {
    private static final ThreadLocal<Boolean> OPEN = new ThreadLocal<>();

    private LoginGate() {
        OPEN.set(Boolean.TRUE);
    }

    static LoginGate open() {
        return new LoginGate();
    }

    static boolean isOpen() {
        return Boolean.TRUE.equals(OPEN.get());
    }

    @Override
    public void close() {
        OPEN.remove();
    }
}
