package org.chatrelay.admin;

import java.time.Clock;
import java.util.Set;
import javax.sql.DataSource;
import org.chatrelay.admin.auth.Account;
import org.chatrelay.admin.auth.AccountRepository;
import org.chatrelay.admin.auth.AdminRealm;
import org.chatrelay.admin.auth.LoginThrottle;
import org.chatrelay.admin.conversations.AdminConversations;
import org.chatrelay.admin.report.QualityReader;
import org.chatrelay.admin.report.ReportReader;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.admin.report.RollupJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin side, wired by {@link org.chatrelay.app.App}: accounts and login, the usage report, its roll-up job. */
public final class Admin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Admin.class);
    public static final String ROLE = "admin";

    private final AdminRealm realm;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
    private final ReportService reports;
    private final RollupJob rollups;
    private final DataSource ds;
    private final AdminConversations conversations;

    private Admin(AdminRealm realm, DataSource ds, long rollupEveryMillis) {
        this.realm = realm;
        this.ds = ds;
        this.reports = new ReportService(new ReportReader(ds), new QualityReader(ds));
        this.rollups = new RollupJob(ds).every(rollupEveryMillis);
        this.conversations = new AdminConversations(ds);
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
        return new Admin(realm, ds, config.rollupEveryMillis());
    }

    public LoginThrottle throttle() {
        return throttle;
    }

    public ReportService reports() {
        return reports;
    }

    public RollupJob rollups() {
        return rollups;
    }

    public AdminConversations conversations() {
        return conversations;
    }

    public DataSource dataSource() {
        return ds;
    }

    @Override
    public void close() {
        rollups.close();
        AdminRealm.uninstall(realm);
    }
}
