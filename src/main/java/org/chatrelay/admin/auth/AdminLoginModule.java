package org.chatrelay.admin.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/**
 * The bridge from the container's login to {@link AdminRealm}: a standard JAAS module, so it uses only JDK types
 * and Jetty's server classes (hidden from webapps) never cross into the WAR. Jetty's JAASLoginService creates it
 * per login through the thread's context class loader, which during a request is this webapp's.
 *
 * <p>Every failure is a {@link FailedLoginException}: Jetty logs other exceptions with a stack trace.
 */
public final class AdminLoginModule implements LoginModule {
    private Subject subject;
    private CallbackHandler callbacks;
    private Account account;
    private final List<AdminRole> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.callbacks = callbackHandler;
    }

    @Override
    public boolean login() throws LoginException {
        if (!LoginGate.isOpen()) {
            throw new FailedLoginException("logins go through POST /login");
        }
        Optional<AdminRealm> realm = AdminRealm.current();
        if (realm.isEmpty()) {
            throw new FailedLoginException("the application is not running");
        }
        NameCallback name = new NameCallback("username");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            callbacks.handle(new Callback[] {name, password});
            account = realm.get().verify(name.getName(), password.getPassword()).orElse(null);
        } catch (Exception e) {
            throw new FailedLoginException("cannot check the credentials");
        } finally {
            password.clearPassword();
        }
        if (account == null) {
            throw new FailedLoginException("wrong username or password");
        }
        return true;
    }

    @Override
    public boolean commit() {
        if (account == null) {
            return false;
        }
        for (String role : account.roles()) {
            AdminRole r = new AdminRole(role);
            subject.getPrincipals().add(r);
            added.add(r);
        }
        return true;
    }

    @Override
    public boolean abort() {
        account = null;
        return logout();
    }

    @Override
    public boolean logout() {
        if (subject != null) {
            added.forEach(subject.getPrincipals()::remove);
        }
        added.clear();
        return true;
    }
}
