package org.chatrelay.gateway.keys;

import java.time.Instant;
import java.util.List;

/**
 * A virtual key as stored: everything but the secret, which exists only in the response that created it.
 *
 * @param models              the models the key may use; empty means every model of the catalogue
 * @param rpm                 requests per minute, null for no limit
 * @param maxStreams          streaming calls at once, null for no limit
 * @param dailyBudgetMicros   USD per UTC day in micro-dollars, null for no budget
 * @param monthlyBudgetMicros USD per UTC calendar month in micro-dollars, null for no budget
 * @param storeContent        whether request and response text is stored (off: only metrics and usage)
 */
public record VirtualKey(String id, String name, String owner, String prefix, List<String> models, Integer rpm,
                         Integer maxStreams, Long dailyBudgetMicros, Long monthlyBudgetMicros, Instant expiresAt,
                         boolean storeContent, Instant createdAt, Instant revokedAt) {

    public VirtualKey {
        models = List.copyOf(models);
    }

    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether admitting a call needs the shared state at all: a key without limits or budgets is only authenticated. */
    public boolean limited() {
        return rpm != null || maxStreams != null || dailyBudgetMicros != null || monthlyBudgetMicros != null;
    }
}
