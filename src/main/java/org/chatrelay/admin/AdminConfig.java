package org.chatrelay.admin;

import java.util.Optional;
import org.chatrelay.admin.auth.PasswordHash;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * The first admin account, from the environment: {@code CHATRELAY_ADMIN_USER} with either
 * {@code CHATRELAY_ADMIN_PASSWORD} (hashed at start-up, never stored as given) or a ready
 * {@code CHATRELAY_ADMIN_PASSWORD_HASH}. Without a user nobody can log in to /admin.
 *
 * @param rollupEveryMillis how often finished usage rows are folded into the report's daily rollups
 */
public record AdminConfig(Optional<String> user, Optional<PasswordHash> passwordHash, long rollupEveryMillis) {

    static final int MAX_USER_CHARS = 64;

    public static AdminConfig from(Settings s) {
        Optional<String> user = s.get("CHATRELAY_ADMIN_USER");
        Optional<String> password = s.get("CHATRELAY_ADMIN_PASSWORD");
        Optional<String> ready = s.get("CHATRELAY_ADMIN_PASSWORD_HASH");
        long every = s.getInt("CHATRELAY_REPORT_ROLLUP_MS", 10_000);
        if (every <= 0) {
            throw new ConfigException("CHATRELAY_REPORT_ROLLUP_MS must be positive, got " + every);
        }
        if (user.isEmpty()) {
            if (password.isPresent() || ready.isPresent()) {
                throw new ConfigException("CHATRELAY_ADMIN_USER is required with CHATRELAY_ADMIN_PASSWORD or CHATRELAY_ADMIN_PASSWORD_HASH");
            }
            return new AdminConfig(Optional.empty(), Optional.empty(), every);
        }
        String name = user.get();
        if (name.length() > MAX_USER_CHARS || !name.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new ConfigException("CHATRELAY_ADMIN_USER must be 1-" + MAX_USER_CHARS + " printable ASCII characters without spaces");
        }
        if (password.isPresent() == ready.isPresent()) {
            throw new ConfigException("set exactly one of CHATRELAY_ADMIN_PASSWORD and CHATRELAY_ADMIN_PASSWORD_HASH for CHATRELAY_ADMIN_USER");
        }
        PasswordHash hash;
        if (password.isPresent()) {
            if (password.get().length() < 8) {
                throw new ConfigException("CHATRELAY_ADMIN_PASSWORD must have at least 8 characters");
            }
            hash = PasswordHash.create(password.get().toCharArray());
        } else {
            try {
                hash = PasswordHash.parse(ready.get());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("CHATRELAY_ADMIN_PASSWORD_HASH: " + e.getMessage()
                        + " (make one with: java -cp target/chatrelay/WEB-INF/classes org.chatrelay.admin.auth.HashPassword)");
            }
        }
        return new AdminConfig(user, Optional.of(hash), every);
    }
}
