package org.chatrelay.gateway.keys;

/** A key just created: the only moment its secret exists outside the client that receives it. */
public record CreatedKey(VirtualKey key, String secret) {
    @Override
    public String toString() {
        // Never the secret, should this ever reach a log line.
        return "CreatedKey[" + key.id() + " " + key.prefix() + "…]";
    }
}
