package org.chatrelay.admin.auth;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

/**
 * The JAAS configuration of the admin realm, given to Jetty's JAASLoginService by WEB-INF/jetty-ee10-web.xml.
 * Kept in code rather than a login.conf file named by the JVM-wide {@code java.security.auth.login.config}
 * property, so the WAR needs nothing from the server it is deployed on.
 */
public final class AdminJaasConfiguration extends Configuration {
    public static final String NAME = "chatrelay-admin";

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        if (!NAME.equals(name)) {
            return null;
        }
        return new AppConfigurationEntry[] {
                new AppConfigurationEntry(AdminLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED, Map.of())
        };
    }
}
