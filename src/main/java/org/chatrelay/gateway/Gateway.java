package org.chatrelay.gateway;

import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeyRepository;
import org.chatrelay.gateway.limits.KeyLimits;

/**
 * The gateway's foundation, wired by {@link org.chatrelay.app.App}: virtual keys (checked on every call), their
 * limits in the shared database, and the master key of the admin API.
 */
public final class Gateway {
    private final GatewayKeys keys;
    private final KeyLimits limits;
    private final Optional<MasterKey> masterKey;

    public Gateway(GatewayKeys keys, KeyLimits limits, Optional<MasterKey> masterKey) {
        this.keys = keys;
        this.limits = limits;
        this.masterKey = masterKey;
    }

    /** @param masterKey read with the rest of the configuration, before anything starts ({@link MasterKey#from}) */
    public static Gateway start(Optional<MasterKey> masterKey, DataSource ds, Clock clock, String nodeId) {
        return new Gateway(new GatewayKeys(new KeyRepository(ds), clock), new KeyLimits(ds, clock, nodeId), masterKey);
    }

    public GatewayKeys keys() {
        return keys;
    }

    public KeyLimits limits() {
        return limits;
    }

    /** Empty when CHATRELAY_GATEWAY_MASTER_KEY is not set: the admin API then refuses every call. */
    public Optional<MasterKey> masterKey() {
        return masterKey;
    }
}
