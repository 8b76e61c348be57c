package org.chatrelay.admin.auth;

import java.security.Principal;

/**
 * A role of a logged-in account. Jetty's JAASLoginService recognises role principals by class name
 * (see WEB-INF/jetty-ee10-web.xml), so this class never needs to be visible to the server.
 */
public record AdminRole(String name) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
