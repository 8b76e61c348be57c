package org.chatrelay.gateway.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.errors.Refusal.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys: created (the secret returned once), listed, revoked, and checked on every gateway call.
 * A key found by its hash is remembered for {@link #CACHE_TTL}, so a revoke made on any node holds on every node
 * within that time (the issue allows 5 s). Unknown keys are not remembered: a stream of made-up keys cannot fill
 * the memory, and a key created a moment ago works at once.
 */
public final class GatewayKeys {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayKeys.class);
    /** Well inside the 5 s for a revoke to reach every node, while a busy key costs one lookup per 2 s per node. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);

    private final KeyRepository repository;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(VirtualKey key, long loadedAtNanos) {
    }

    public GatewayKeys(KeyRepository repository, Clock clock) {
        this(repository, clock, System::nanoTime);
    }

    /** @param nanoTime the cache's clock, a test's to turn */
    GatewayKeys(KeyRepository repository, Clock clock, LongSupplier nanoTime) {
        this.repository = repository;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public CreatedKey create(KeySpec spec) {
        String secret = KeySecret.generate();
        VirtualKey key = new VirtualKey(UUID.randomUUID().toString(), spec.name(), spec.owner(), KeySecret.shownPrefix(secret),
                spec.models(), spec.rpm(), spec.maxStreams(), spec.dailyBudgetMicros(), spec.monthlyBudgetMicros(),
                spec.expiresAt(), spec.storeContent(), clock.instant(), null);
        repository.insert(key, KeySecret.hash(secret));
        LOG.info("gateway key {} ({}) created: {}", key.id(), key.prefix(), key.name());
        return new CreatedKey(key, secret);
    }

    public List<VirtualKey> list() {
        return repository.list();
    }

    /** False when there is no such key. Revoking twice is harmless. */
    public boolean revoke(String id) {
        boolean found = repository.revoke(id, clock.instant());
        if (found) {
            cache.values().removeIf(c -> c.key().id().equals(id));
            LOG.info("gateway key {} revoked", id);
        }
        return found;
    }

    /**
     * The key a gateway call presents, as OpenAI's SDKs send it ({@code Authorization: Bearer …}) or Anthropic's
     * ({@code x-api-key: …}).
     *
     * @throws Refusal missing, unknown, revoked or expired key (401)
     */
    public VirtualKey authenticate(String authorization, String xApiKey) {
        String presented = presented(authorization, xApiKey);
        if (presented == null) {
            throw new Refusal(Reason.MISSING_KEY, "Missing API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        }
        if (!KeySecret.wellFormed(presented)) {
            throw new Refusal(Reason.UNKNOWN_KEY, "Invalid API key.");
        }
        VirtualKey key = lookUp(KeySecret.hash(presented));
        if (key == null) {
            throw new Refusal(Reason.UNKNOWN_KEY, "Invalid API key.");
        }
        if (key.revoked()) {
            throw new Refusal(Reason.REVOKED_KEY, "This API key (" + key.prefix() + "…) was revoked.");
        }
        Instant now = clock.instant();
        if (key.expiredAt(now)) {
            throw new Refusal(Reason.EXPIRED_KEY, "This API key (" + key.prefix() + "…) expired at " + key.expiresAt() + ".");
        }
        return key;
    }

    /** @throws Refusal the key may not use this model (403) */
    public static void permit(VirtualKey key, String model) {
        if (!key.allows(model)) {
            throw new Refusal(Reason.MODEL_NOT_ALLOWED, "This API key may not use the model '" + model + "'; it may use: "
                    + String.join(", ", key.models()) + ".", OptionalLong.empty());
        }
    }

    private VirtualKey lookUp(String hash) {
        long now = nanoTime.getAsLong();
        Cached c = cache.get(hash);
        if (c != null && now - c.loadedAtNanos() < CACHE_TTL.toNanos()) {
            return c.key();
        }
        VirtualKey key = repository.byHash(hash).orElse(null);
        if (key == null) {
            cache.remove(hash);
        } else {
            cache.put(hash, new Cached(key, now));
        }
        return key;
    }

    /** A Bearer token wins over x-api-key; blank values count as missing. */
    static String presented(String authorization, String xApiKey) {
        if (authorization != null) {
            String a = authorization.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7) && !a.substring(7).isBlank()) {
                return a.substring(7).strip();
            }
        }
        return xApiKey == null || xApiKey.isBlank() ? null : xApiKey.strip();
    }
}
