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
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard of outbound calls: http/https only, and every address a host resolves to must be public unless
 * an administrator allow-listed the host name or a CIDR containing the address. {@link #resolve} does the one DNS
 * lookup of a call and hands back exactly the addresses it checked, so the connection cannot go elsewhere.
 * <p>
 * An IPv6 address that carries an IPv4 address (IPv4-mapped, -translated and -compatible, 6to4, Teredo, NAT64) is
 * judged by that IPv4 address, for the public check and for the allow-list alike, since that is where it leads.
 * A host must be a DNS name, a canonical dotted-decimal IPv4 address or an IPv6 literal: forms such as
 * {@code 0177.0.0.1}, {@code 127.1} or {@code 2130706433} are refused, because programs disagree on what they mean.
 */
public final class OutboundGuard {

    public static final String ENV = "DOONEFLOW_OUTBOUND_ALLOWLIST";
    private static final Logger LOG = LoggerFactory.getLogger(OutboundGuard.class);

    // The patterns come before BLOCKED, whose parsing uses them.
    /** Four decimal numbers 0-255 without leading zeros: the one IPv4 spelling every parser reads alike. */
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern CANONICAL_IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
    /** A DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** A last label that URL parsers (WHATWG) take for a number, turning the whole host into an IPv4 address. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-f:.]+");

    /** Not public: RFC 6890 special-purpose blocks a server should never be made to call. */
    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"), // multicast; reserved incl. 255.255.255.255
            Cidr.parse("::/127"), // :: and ::1; other IPv6 forms that carry an IPv4 address are judged by it
            Cidr.parse("100::/64"), Cidr.parse("2001:db8::/32"), Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    /** Resolves a host name; {@link InetAddress#getAllByName} outside tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A refused host or address; an UnknownHostException so that HttpClient's DnsResolver may throw it. */
    public static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }

        static RefusedAddressException of(String host, InetAddress address) {
            Embedded e = embedded(address);
            String where = e == null ? "" : ", " + e.form() + " address that leads to " + e.ipv4().getHostAddress();
            return new RefusedAddressException(host + " resolves to " + address.getHostAddress() + where
                    + ", which is a private address; an administrator can allow it with " + ENV);
        }
    }

    /** The IPv4 address an IPv6 address carries, and the name of the form that carries it. */
    record Embedded(String form, InetAddress ipv4) {
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
            // java.net.URI drops hosts it cannot parse (127.1, 0x7f.1, exa_mple.com): say what is wrong with it.
            String host = uri.getRawAuthority() == null ? null : hostOf(uri.getRawAuthority());
            String problem = host == null ? null : hostProblem(host);
            throw new IllegalArgumentException(problem != null ? "'" + url + "' is refused: " + problem
                    : "'" + url + "' has no host");
        }
        String problem = hostProblem(uri.getHost());
        if (problem != null) {
            throw new IllegalArgumentException("'" + url + "' is refused: " + problem);
        }
        return uri;
    }

    /** The host part of a URL's authority: without user info and port. */
    private static String hostOf(String authority) {
        String h = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = h.lastIndexOf(':');
        return colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
    }

    /**
     * Why a host may not be called, or null if it may: it must be a DNS name, a canonical dotted-decimal IPv4 address
     * or an IPv6 literal (with or without brackets) whose IPv4 tail, if any, is canonical too.
     */
    static String hostProblem(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean bracketed = h.startsWith("[") && h.endsWith("]");
        if (bracketed || h.contains(":")) {
            return ipv6Problem(host, bracketed ? h.substring(1, h.length() - 1) : h);
        }
        return dnsNameOrIpv4Problem(host, h);
    }

    private static String ipv6Problem(String host, String ip) {
        String tail = ip.substring(ip.lastIndexOf(':') + 1);
        boolean valid = ip.contains(":") && IPV6_CHARACTERS.matcher(ip).matches()
                && (!tail.contains(".") || CANONICAL_IPV4.matcher(tail).matches()); // Java reads ::ffff:0177.0.0.1
        try {
            if (valid) {
                InetAddress.getByName(ip); // a text with ':' is parsed as a literal, never looked up in DNS
                return null;
            }
        } catch (UnknownHostException e) {
            // not an address: said below
        }
        return "'" + host + "' is not a valid IPv6 address (hexadecimal groups separated by colons, optionally ending"
                + " in a dotted-decimal IPv4 address without leading zeros; no zone index)";
    }

    private static String dnsNameOrIpv4Problem(String host, String h) {
        String name = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        String[] labels = name.split("\\.", -1);
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            if (CANONICAL_IPV4.matcher(h).matches()) {
                return null;
            }
            return "'" + host + "' looks like an IPv4 address but is not written as four decimal numbers from 0 to"
                    + " 255 without leading zeros (like 93.184.215.14); programs read such forms differently (0177"
                    + " as octal, 0x7f as hexadecimal, 127.1 or 2130706433 as 127.0.0.1), so the address is unclear";
        }
        if (name.length() > 253 || Arrays.stream(labels).anyMatch(l -> !LABEL.matcher(l).matches())) {
            return "'" + host + "' is not a valid host name (letters, digits and hyphens in dot-separated labels)";
        }
        return null;
    }

    /**
     * The host's addresses, all checked; throws {@link RefusedAddressException} if the host is not a clear DNS name
     * or IP address, or if any one address is not allowed.
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String problem = hostProblem(host);
        if (problem != null) {
            throw new RefusedAddressException(problem);
        }
        String key = hostKey(host);
        InetAddress[] addresses = resolver.resolve(key);
        if (hosts.contains(key)) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address) && !allowListed(address)) {
                throw RefusedAddressException.of(host, address);
            }
        }
        return addresses;
    }

    /** In an allow-listed CIDR, itself or through the IPv4 address it carries (which is where it leads). */
    private boolean allowListed(InetAddress address) {
        Embedded e = embedded(address);
        return cidrs.stream().anyMatch(c -> c.contains(address) || (e != null && c.contains(e.ipv4())));
    }

    public static boolean isPublic(InetAddress address) {
        Embedded e = embedded(address);
        if (e != null) {
            return isPublic(e.ipv4());
        }
        return BLOCKED.stream().noneMatch(c -> c.contains(address));
    }

    /** The IPv4 address inside an IPv6 address of one of the forms that carry one, else null. */
    static Embedded embedded(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return null;
        }
        if (isZero(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff) {
            return new Embedded("an IPv4-mapped", v4(b, 12)); // ::ffff:a.b.c.d
        }
        if (isZero(b, 0, 8) && (b[8] & b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return new Embedded("an IPv4-translated", v4(b, 12)); // ::ffff:0:a.b.c.d (RFC 2765)
        }
        boolean unspecifiedOrLoopback = isZero(b, 0, 15) && (b[15] == 0 || b[15] == 1);
        if (isZero(b, 0, 12) && !unspecifiedOrLoopback) {
            return new Embedded("an IPv4-compatible", v4(b, 12)); // ::a.b.c.d, deprecated (RFC 4291)
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new Embedded("a 6to4", v4(b, 2)); // 2002:aabb:ccdd::/48 (RFC 3056)
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = Arrays.copyOfRange(b, 12, 16);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i]; // Teredo stores the client's address inverted (RFC 4380)
            }
            return new Embedded("a Teredo", v4(client, 0));
        }
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (nat64 && (isZero(b, 4, 12) || (b[4] == 0 && b[5] == 1))) {
            return new Embedded("a NAT64", v4(b, 12)); // 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48 (RFC 8215)
        }
        return null;
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
            if (!CANONICAL_IPV4.matcher(ip).matches()) { // 010.0.0.0 would be ambiguous here too
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
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
