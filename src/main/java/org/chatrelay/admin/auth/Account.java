package org.chatrelay.admin.auth;

import java.util.Set;

/** An admin_account row. */
public record Account(String username, PasswordHash passwordHash, Set<String> roles) {
}
