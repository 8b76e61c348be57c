package org.chatrelay.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * The client address behind a request: the connection's peer, unless that peer is a configured proxy
 * ({@code CHATRELAY_TRUSTED_PROXIES}); then the right-most {@code X-Forwarded-For} entry that no trusted proxy wrote.
 * Everything left of it was written by the client and proves nothing. Jetty's forwarded module is told not to read
 * the address (jetty-config/start.d/forwarded.ini), so {@link HttpServletRequest#getRemoteAddr()} is the real peer.
 *
 * <p>Default: loopback only, the shipped layout (nginx on the node's host, the node bound to 127.0.0.1). Trusting
 * nobody would make every visitor behind that nginx one address, so one per-address limit for the whole site.
 */
public final class TrustedProxies {
    static final String SETTING = "CHATRELAY_TRUSTED_PROXIES";
    static final String DEFAULT = "127.0.0.0/8, ::1";
    /** Only IP literals: a host name would make every request wait for DNS, and DNS can lie. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Range> ranges;
    private final String text;

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private TrustedProxies(List<Range> ranges, String text) {
        this.ranges = List.copyOf(ranges);
        this.text = text;
    }

    public static TrustedProxies from(Settings s) {
        return parse(s.get(SETTING, DEFAULT));
    }

    /** @param list comma-separated addresses or CIDR ranges, or {@code none} */
    static TrustedProxies parse(String list) {
        if (list.strip().equalsIgnoreCase("none")) {
            return new TrustedProxies(List.of(), "none");
        }
        List<Range> ranges = new ArrayList<>();
        for (String raw : list.split(",")) {
            String item = raw.strip();
            int slash = item.indexOf('/');
            byte[] address = literal(slash < 0 ? item : item.substring(0, slash));
            if (address == null) {
                throw new ConfigException(SETTING + ": '" + item + "' is not an IP address or CIDR range (or 'none')");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new ConfigException(SETTING + ": '" + item + "' has a bad prefix length");
                }
            }
            ranges.add(new Range(address, bits));
        }
        return new TrustedProxies(ranges, list.strip());
    }

    /** The address the per-address limit, the login throttle and the logs use for this request. */
    public String clientAddress(HttpServletRequest req) {
        return clientAddress(req.getRemoteAddr(), Collections.list(req.getHeaders("X-Forwarded-For")));
    }

    /** @param forwardedFor the request's X-Forwarded-For headers, in order (each may list several hops) */
    String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusted(literal(peer))) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = literal(hops.get(i));
            if (hop == null) {
                // Not an address, so no trusted proxy wrote it: the hop that passed it on is the client.
                return client;
            }
            client = text(hop);
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(byte[] address) {
        if (address == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** One spelling per address (IPv6 compressed or not), so a limit keyed by the text can't be split by re-spelling. */
    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** As configured, for the start-up log. */
    @Override
    public String toString() {
        return text;
    }
}
