package org.chatrelay.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.errors.Refusal.Reason;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayKeysTest {
    static final Instant NOW = Instant.parse("2030-03-10T12:00:00Z");
    Database db;
    AtomicLong nanos = new AtomicLong();
    GatewayKeys keys;

    @BeforeEach
    void setUp() {
        db = TestDb.h2();
        keys = new GatewayKeys(new KeyRepository(db.dataSource()), Clock.fixed(NOW, ZoneOffset.UTC), nanos::get);
    }

    @AfterEach
    void tearDown() {
        TestDb.close(db);
    }

    static KeySpec spec(String name, List<String> models, Instant expiresAt) {
        return new KeySpec(name, "team", models, 60, 2, 5_000_000L, null, expiresAt, false);
    }

    Reason refusal(String authorization, String xApiKey) {
        return assertThrows(Refusal.class, () -> keys.authenticate(authorization, xApiKey)).reason();
    }

    @Test
    void a_created_key_is_stored_only_as_its_hash_and_listed_by_prefix() throws Exception {
        CreatedKey created = keys.create(spec("billing", List.of("gpt-4o"), null));
        String secret = created.secret();
        assertTrue(secret.startsWith(created.key().prefix()), created.key().prefix());
        assertEquals(List.of(created.key()), keys.list());
        assertFalse(created.toString().contains(secret));
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM gateway_key")) {
            assertTrue(rs.next());
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String v = rs.getString(i);
                assertFalse(v != null && v.contains(secret.substring(4)), "column " + rs.getMetaData().getColumnName(i) + " holds the secret");
            }
            assertEquals(KeySecret.hash(secret), rs.getString("key_hash"));
        }
    }

    @Test
    void a_key_is_accepted_as_bearer_token_or_x_api_key() {
        CreatedKey created = keys.create(spec("billing", List.of(), null));
        assertEquals(created.key().id(), keys.authenticate("Bearer " + created.secret(), null).id());
        assertEquals(created.key().id(), keys.authenticate(null, created.secret()).id());
        assertEquals(created.key().id(), keys.authenticate("bearer  " + created.secret() + " ", null).id());
    }

    @Test
    void missing_wrong_revoked_and_expired_keys_are_refused_with_401() {
        CreatedKey live = keys.create(spec("live", List.of(), null));
        CreatedKey expired = keys.create(spec("expired", List.of(), NOW));
        CreatedKey revoked = keys.create(spec("revoked", List.of(), null));
        assertTrue(keys.revoke(revoked.key().id()));

        assertEquals(Reason.MISSING_KEY, refusal(null, null));
        assertEquals(Reason.MISSING_KEY, refusal("Basic dXNlcjpwYXNz", " "));
        assertEquals(Reason.UNKNOWN_KEY, refusal("Bearer sk-not-ours", null));
        assertEquals(Reason.UNKNOWN_KEY, refusal(null, KeySecret.generate()));
        assertEquals(Reason.UNKNOWN_KEY, refusal(null, live.secret().substring(0, 35) + (live.secret().endsWith("a") ? "b" : "a")));
        assertEquals(Reason.EXPIRED_KEY, refusal(null, expired.secret()));
        assertEquals(Reason.REVOKED_KEY, refusal("Bearer " + revoked.secret(), null));
        Refusal r = assertThrows(Refusal.class, () -> keys.authenticate(null, null));
        assertEquals(401, r.error().status(org.chatrelay.config.Dialect.OPENAI));
        assertFalse(keys.revoke(UUID.randomUUID().toString()), "no such key");
    }

    @Test
    void a_model_outside_the_keys_list_is_refused_with_403_and_an_empty_list_allows_all() {
        VirtualKey some = keys.create(spec("some", List.of("gpt-4o"), null)).key();
        VirtualKey all = keys.create(spec("all", List.of(), null)).key();
        GatewayKeys.permit(some, "gpt-4o");
        GatewayKeys.permit(all, "claude-sonnet-4");
        Refusal r = assertThrows(Refusal.class, () -> GatewayKeys.permit(some, "claude-sonnet-4"));
        assertEquals(Reason.MODEL_NOT_ALLOWED, r.reason());
        assertEquals(403, r.error().status(org.chatrelay.config.Dialect.ANTHROPIC));
    }

    @Test
    void a_revoke_made_elsewhere_holds_here_once_the_cache_entry_is_older_than_its_ttl() {
        CreatedKey created = keys.create(spec("k", List.of(), null));
        keys.authenticate(null, created.secret());
        // Another node revokes: same table, another service with its own cache.
        new GatewayKeys(new KeyRepository(db.dataSource()), Clock.fixed(NOW, ZoneOffset.UTC)).revoke(created.key().id());

        nanos.addAndGet(GatewayKeys.CACHE_TTL.toNanos() - 1);
        keys.authenticate(null, created.secret());
        nanos.addAndGet(1);
        assertEquals(Reason.REVOKED_KEY, refusal(null, created.secret()));
        assertTrue(GatewayKeys.CACHE_TTL.getSeconds() < 5, "the issue's bound for a revoke to reach every node");
    }
}
