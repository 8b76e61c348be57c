package org.chatrelay.admin.auth;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks an admin's password. The container reaches it only through {@link AdminLoginModule}, which JAAS creates
 * by class name: so the realm of this deployment is published in a static of this class. Each deployment has its
 * own webapp class loader, hence its own static; {@link #uninstall} at shutdown lets the next one take over.
 */
public final class AdminRealm {
    private static final AtomicReference<AdminRealm> CURRENT = new AtomicReference<>();

    private final AccountRepository accounts;

    public AdminRealm(AccountRepository accounts) {
        this.accounts = accounts;
    }

    public static void install(AdminRealm realm) {
        CURRENT.set(realm);
    }

    public static void uninstall(AdminRealm realm) {
        CURRENT.compareAndSet(realm, null);
    }

    static Optional<AdminRealm> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * The account when the password is right. An unknown user costs the same PBKDF2 work as a known one, and
     * every failure looks alike, so neither the answer nor its timing tells whether a user exists (ASVS 2.2.1).
     */
    public Optional<Account> verify(String username, char[] password) {
        Optional<Account> account = username == null || username.isEmpty() || username.length() > 64
                ? Optional.empty() : accounts.find(username);
        char[] candidate = password == null || password.length == 0 ? new char[] {'\0'} : password;
        if (account.isEmpty()) {
            PasswordHash.burn(candidate, PasswordHash.MIN_ITERATIONS);
            return Optional.empty();
        }
        boolean ok = account.get().passwordHash().matches(candidate) && password != null && password.length > 0;
        return ok ? account : Optional.empty();
    }
}
