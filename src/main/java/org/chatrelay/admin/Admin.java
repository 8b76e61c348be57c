package org.chatrelay.admin;

import java.time.Clock;
import java.util.Set;
import javax.sql.DataSource;
import org.chatrelay.admin.auth.Account;
import org.chatrelay.admin.auth.AccountRepository;
import org.chatrelay.admin.auth.AdminRealm;
import org.chatrelay.admin.auth.LoginThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin side, wired by {@link org.chatrelay.app.App}: accounts and login, the usage report, its roll-up job. */
public final class Admin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Admin.class);
    public static final String ROLE = "admin";

    private final AdminRealm realm;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());

    private Admin(AdminRealm realm) {
        this.realm = realm;
    }

    public static Admin start(AdminConfig config, DataSource ds, Clock clock) {
        AccountRepository accounts = new AccountRepository(ds);
        if (config.user().isPresent()) {
            accounts.save(new Account(config.user().get(), config.passwordHash().orElseThrow(), Set.of(ROLE)), clock.instant());
            LOG.info("admin account '{}' ready: sign in at /admin", config.user().get());
        } else {
            LOG.info("no CHATRELAY_ADMIN_USER set: accounts already stored can sign in at /admin, none was added");
        }
        AdminRealm realm = new AdminRealm(accounts);
        AdminRealm.install(realm);
        return new Admin(realm);
    }

    public LoginThrottle throttle() {
        return throttle;
    }

    @Override
    public void close() {
        AdminRealm.uninstall(realm);
    }
}
