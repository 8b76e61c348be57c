package org.chatrelay.config;

/**
 * A share of visitors routed to one provider first. The split is decided by a hash of (salt, visitor id), so it is
 * the same on every node and after every restart; changing the salt reshuffles visitors.
 *
 * @param percent 0 to 100, fractions allowed (resolution 0.01)
 */
public record CanaryConfig(String provider, double percent, String salt) {
}
