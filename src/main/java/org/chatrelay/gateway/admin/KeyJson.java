package org.chatrelay.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.chatrelay.gateway.keys.VirtualKey;

/** A key as the admin API shows it: the prefix, never the secret or its hash. Budgets in US dollars. */
final class KeyJson {
    private KeyJson() {
    }

    static ObjectNode of(ObjectMapper json, VirtualKey k) {
        ObjectNode n = json.createObjectNode();
        n.put("id", k.id());
        n.put("name", k.name());
        n.put("owner", k.owner());
        n.put("prefix", k.prefix());
        var models = n.putArray("models");
        k.models().forEach(models::add);
        n.put("rpm", k.rpm());
        n.put("maxStreams", k.maxStreams());
        n.put("dailyBudgetUsd", usd(k.dailyBudgetMicros()));
        n.put("monthlyBudgetUsd", usd(k.monthlyBudgetMicros()));
        n.put("expiresAt", time(k.expiresAt()));
        n.put("storeContent", k.storeContent());
        n.put("createdAt", time(k.createdAt()));
        n.put("revokedAt", time(k.revokedAt()));
        return n;
    }

    static BigDecimal usd(Long micros) {
        return micros == null ? null : BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
