package org.chatrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    static final TrustedProxies LOOPBACK = TrustedProxies.from(Settings.of(Map.of()));

    @Test
    void a_peer_that_is_no_trusted_proxy_is_the_client_whatever_it_forwards() {
        assertEquals("203.0.113.9", LOOPBACK.clientAddress("203.0.113.9", List.of("198.51.100.1")));
        assertEquals("127.0.0.1", TrustedProxies.parse("none").clientAddress("127.0.0.1", List.of("198.51.100.1")));
    }

    @Test
    void behind_a_trusted_proxy_the_right_most_entry_it_wrote_is_the_client_and_what_the_client_wrote_is_ignored() {
        assertEquals("198.51.100.1", LOOPBACK.clientAddress("127.0.0.1", List.of("198.51.100.1")));
        // $proxy_add_x_forwarded_for appends: everything left of the proxy's own entry came from the client.
        assertEquals("198.51.100.1", LOOPBACK.clientAddress("127.0.0.1", List.of("10.9.9.9, 1.2.3.4", "198.51.100.1")));
        assertEquals("198.51.100.1", LOOPBACK.clientAddress("127.0.0.1", List.of("6.6.6.6, 198.51.100.1, 127.0.0.5")),
                "a chain of trusted proxies is walked through");
        assertEquals("127.0.0.1", LOOPBACK.clientAddress("127.0.0.1", List.of()), "no header: the proxy itself");
    }

    @Test
    void an_entry_that_is_no_address_ends_the_walk_at_the_hop_that_passed_it_on() {
        assertEquals("198.51.100.1", LOOPBACK.clientAddress("127.0.0.1", List.of("evil.example, 198.51.100.1")));
        assertEquals("127.0.0.1", LOOPBACK.clientAddress("127.0.0.1", List.of("unknown")));
        assertEquals("127.0.0.1", LOOPBACK.clientAddress("127.0.0.1", List.of("1.2.3.4:80")));
    }

    @Test
    void ranges_and_ipv6_are_matched_by_prefix_and_addresses_are_spelt_one_way() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/9, 2001:db8::/32");
        assertEquals("198.51.100.1", p.clientAddress("10.127.255.254", List.of("198.51.100.1")));
        assertEquals("10.128.0.1", p.clientAddress("10.128.0.1", List.of("198.51.100.1")), "outside the /9");
        assertEquals("2001:db9:0:0:0:0:0:1", p.clientAddress("2001:db8:ffff::2", List.of("2001:db9::1")));
        assertEquals("2001:db9:0:0:0:0:0:1", p.clientAddress("2001:db8::2", List.of("[2001:DB9:0::1]")));
        assertEquals("198.51.100.1", LOOPBACK.clientAddress("0:0:0:0:0:0:0:1", List.of("198.51.100.1")), "::1 is loopback");
    }

    @Test
    void a_bad_setting_stops_start_up_with_its_name_and_host_names_are_refused() {
        for (String bad : List.of("proxy.example", "10.0.0.0/33", "10.0.0.0/x", "", "1.2.3")) {
            ConfigException e = assertThrows(ConfigException.class, () -> TrustedProxies.parse(bad), bad);
            assertTrue(e.getMessage().contains("CHATRELAY_TRUSTED_PROXIES"), e.getMessage());
        }
    }
}
