package com.dooneflow.api.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard of outbound calls: http/https only, and every address a host resolves to must be public unless
 * an administrator allow-listed the host name or a CIDR containing the address. {@link #resolve} does the one DNS
 * lookup of a call and hands back exactly the addresses it checked, so the connection cannot go elsewhere.
 */
public final class OutboundGuard {

    public static final String ENV = "DOONEFLOW_OUTBOUND_ALLOWLIST";
    private static final Logger LOG = LoggerFactory.getLogger(OutboundGuard.class);

    /** Not public: RFC 6890 special-purpose blocks a server should never be made to call. */
    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"), // multicast; reserved incl. 255.255.255.255
            Cidr.parse("::/96"), // ::, ::1 and the deprecated IPv4-compatible addresses
            Cidr.parse("100::/64"), Cidr.parse("2001:db8::/32"), Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    /** Resolves a host name; {@link InetAddress#getAllByName} outside tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A refused address; an UnknownHostException so that HttpClient's DnsResolver may throw it. */
    public static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String host, InetAddress address) {
            super(host + " resolves to " + address.getHostAddress() + ", which is a private address; an administrator"
                    + " can allow it with " + ENV);
        }
    }

    private final Set<String> hosts = new HashSet<>();
    private final List<Cidr> cidrs = new ArrayList<>();
    private final Resolver resolver;

    /** @param allowlist comma-separated host names and CIDRs ({@code 127.0.0.1/32}, {@code ::1/128}); may be null */
    public OutboundGuard(String allowlist, Resolver resolver) {
        this.resolver = resolver;
        for (String raw : allowlist == null ? new String[0] : allowlist.split(",")) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || entry.contains(":") || entry.matches("[0-9.]+")) {
                try {
                    cidrs.add(Cidr.parse(entry.contains("/") ? entry : entry + (entry.contains(":") ? "/128" : "/32")));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring '{}' in {}: not an IP address or CIDR", raw.trim(), ENV);
                }
            } else {
                hosts.add(hostKey(entry));
            }
        }
    }

    public OutboundGuard(String allowlist) {
        this(allowlist, InetAddress::getAllByName);
    }

    /** The guard a connector uses: {@value #ENV} when set, else the allowlist from the connector's configuration. */
    public static OutboundGuard configured(String configuredAllowlist) {
        return new OutboundGuard(allowlist(configuredAllowlist, System.getenv(ENV)));
    }

    static String allowlist(String configured, String env) {
        return env != null && !env.isBlank() ? env : configured;
    }

    /** An absolute http(s) URL with a host, else IllegalArgumentException saying what is wrong. */
    public static URI checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https URLs can be called, not '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + url + "' has no host");
        }
        return uri;
    }

    /** The host's addresses, all checked; throws {@link RefusedAddressException} if any one is not allowed. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String key = hostKey(host);
        InetAddress[] addresses = resolver.resolve(key);
        if (hosts.contains(key)) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && cidrs.stream().noneMatch(c -> c.contains(address))) {
                throw new RefusedAddressException(host, address);
            }
        }
        return addresses;
    }

    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && isZero(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff) {
            return isPublic(v4(b, 12)); // IPv4-mapped ::ffff:a.b.c.d is the IPv4 address a.b.c.d
        }
        if (b.length == 16 && b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12)) {
            return isPublic(v4(b, 12)); // NAT64 64:ff9b::/96 reaches the embedded IPv4 address
        }
        if (b.length == 16 && b[0] == 0x20 && b[1] == 0x02) {
            return isPublic(v4(b, 2)); // 6to4 2002::/16 embeds an IPv4 address
        }
        return BLOCKED.stream().noneMatch(c -> c.contains(address));
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** Host names compare lower-case, without a trailing dot or IPv6 brackets. */
    private static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** An address block; only literal addresses are parsed, so no DNS lookup happens here. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not a CIDR: " + text);
            }
            String ip = text.substring(0, slash).trim();
            byte[] network = ip.contains(":") ? v6(ip) : v4(ip);
            int bits;
            try {
                bits = Integer.parseInt(text.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + text);
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + text);
            }
            return new Cidr(network, bits);
        }

        private static byte[] v4(String ip) {
            String[] parts = ip.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + ip);
                }
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return bytes;
        }

        /** A literal with ':' is never looked up in DNS by InetAddress. */
        private static byte[] v6(String ip) {
            try {
                byte[] bytes = InetAddress.getByName(ip).getAddress();
                if (bytes.length != 16) {
                    throw new IllegalArgumentException("write IPv4-mapped blocks as IPv4: " + ip);
                }
                return bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + ip);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
