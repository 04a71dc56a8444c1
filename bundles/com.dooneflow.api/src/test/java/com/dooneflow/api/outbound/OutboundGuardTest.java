package com.dooneflow.api.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

    /** Names resolve from this table; literals are parsed (no DNS either way). */
    private static final Map<String, String[]> DNS = Map.of(
            "internal.example", new String[] {"10.9.9.9"},
            "public.example", new String[] {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
            "mixed.example", new String[] {"93.184.215.14", "10.9.9.9"},
            "metadata.example", new String[] {"169.254.169.254"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] names = DNS.get(host);
        if (names == null) {
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                throw new UnknownHostException(host);
            }
            return InetAddress.getAllByName(host);
        }
        InetAddress[] out = new InetAddress[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = InetAddress.getByName(names[i]);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255",
            "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", "169.254.169.254", "100.64.0.1",
            "100.127.255.255", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.0.8", "198.18.0.1",
            "198.19.255.255", "::", "::1", "fe80::1", "febf:ffff::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:7f00:1::1",
            "::127.0.0.1", "::2",
            // Each IPv6 form that carries a private IPv4 address is judged by that address.
            "::ffff:0:127.0.0.1", "::ffff:0:169.254.169.254", // IPv4-translated
            "::10.0.0.1", // IPv4-compatible
            "2002:a9fe:a9fe::1", "2002:c0a8:101:1::5", // 6to4 of 169.254.169.254 and 192.168.1.1
            "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo whose client is 127.0.0.1, stored inverted
            "2001::f5ff:fffe", // Teredo whose client is 10.0.0.1
            "64:ff9b::127.0.0.1", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:abcd:ef::7f00:1"}) // NAT64, both prefixes
    void refusesNonPublicAddresses(String ip) throws Exception {
        assertThat(OutboundGuard.isPublic(InetAddress.getByName(ip))).as(ip).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "9.255.255.255", "11.0.0.0", "172.15.255.255",
            "172.32.0.1", "100.63.255.255", "100.128.0.1", "169.253.255.255", "192.0.1.1", "192.167.255.255",
            "198.17.255.255", "198.20.0.1", "223.255.255.255", "2606:4700:4700::1111", "2001:4860:4860::8888",
            "64:ff9b::808:808", "2002:808:808::1",
            // The same forms carrying the public 8.8.8.8 lead to a public address.
            "::ffff:0:8.8.8.8", "::8.8.8.8", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "64:ff9b:1::808:808"})
    void acceptsPublicAddresses(String ip) throws Exception {
        assertThat(OutboundGuard.isPublic(InetAddress.getByName(ip))).as(ip).isTrue();
    }

    @Test
    void judgesIpv4MappedAddressesHeldAsIpv6ByTheirIpv4Part() throws Exception {
        // Java turns the text ::ffff:a.b.c.d into an IPv4 address; a resolver may still hand out the IPv6 form.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169,
                (byte) 254};
        assertThat(OutboundGuard.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isFalse();
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertThat(OutboundGuard.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isTrue();
    }

    @Test
    void withoutAllowlistOnlyPublicAddressesPass() throws Exception {
        OutboundGuard guard = new OutboundGuard("", OutboundGuardTest::resolve);
        assertThat(guard.resolve("public.example")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        assertThatThrownBy(() -> guard.resolve("127.0.0.1")).isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessage("127.0.0.1 resolves to 127.0.0.1, which is a private address; an administrator can "
                        + "allow it with DOONEFLOW_OUTBOUND_ALLOWLIST");
        assertThatThrownBy(() -> guard.resolve("metadata.example"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class).hasMessageContaining("169.254.169.254");
        // Every address must pass, not just one of them (DNS rebinding with a mixed answer).
        assertThatThrownBy(() -> guard.resolve("mixed.example"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class).hasMessageContaining("10.9.9.9");
        assertThatThrownBy(() -> guard.resolve("[::1]")).isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("nowhere.example")).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(OutboundGuard.RefusedAddressException.class);
    }

    @Test
    void anEmbeddedPrivateAddressIsRefusedInWords() {
        OutboundGuard guard = new OutboundGuard("", OutboundGuardTest::resolve);
        assertThatThrownBy(() -> guard.resolve("[::ffff:0:127.0.0.1]"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessage("[::ffff:0:127.0.0.1] resolves to 0:0:0:0:ffff:0:7f00:1, an IPv4-translated address that "
                        + "leads to 127.0.0.1, which is a private address; an administrator can allow it with "
                        + "DOONEFLOW_OUTBOUND_ALLOWLIST");
        assertThatThrownBy(() -> guard.resolve("2001:0:4136:e378:8000:63bf:80ff:fffe"))
                .hasMessageContaining("a Teredo address that leads to 127.0.0.1");
        assertThatThrownBy(() -> guard.resolve("2002:a9fe:a9fe::1"))
                .hasMessageContaining("a 6to4 address that leads to 169.254.169.254");
    }

    @Test
    void theAllowlistJudgesAnEmbeddedAddressByItsIpv4AddressToo() throws Exception {
        OutboundGuard guard = new OutboundGuard("127.0.0.1/32, 64:ff9b::/96", OutboundGuardTest::resolve);
        // 127.0.0.1 is allowed, so are the IPv6 forms that lead to it ...
        assertThat(guard.resolve("[::ffff:0:127.0.0.1]")).hasSize(1);
        assertThat(guard.resolve("[::127.0.0.1]")).hasSize(1);
        assertThat(guard.resolve("[64:ff9b:1::7f00:1]")).hasSize(1);
        // ... but not ones that lead elsewhere,
        assertThatThrownBy(() -> guard.resolve("[::ffff:0:127.0.0.2]"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("[2002:a00:1::1]"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class);
        // while an allow-listed IPv6 block passes as written, whatever it carries.
        assertThat(guard.resolve("[64:ff9b::10.0.0.1]")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "127.000.0.1", "127.0.0.01", "127.1", "127.0.1", "2130706433", "0x7f.1",
            "0x7f000001", "0X7F.0.0.1", "example.0x", "1.2.3.4.", "1.2.3.4.5", "256.1.1.1", "example.123"})
    void refusesHostsThatAreNotACanonicalIpv4Address(String host) {
        OutboundGuard guard = new OutboundGuard("0.0.0.0/0", OutboundGuardTest::resolve); // even when all is allowed
        assertThatThrownBy(() -> guard.resolve(host)).isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessage("'" + host + "' looks like an IPv4 address but is not written as four decimal numbers "
                        + "from 0 to 255 without leading zeros (like 93.184.215.14); programs read such forms "
                        + "differently (0177 as octal, 0x7f as hexadecimal, 127.1 or 2130706433 as 127.0.0.1), so the "
                        + "address is unclear");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::ffff:0177.0.0.1]", "::ffff:127.1", "[fe80::1%eth0]", "[example.com]", "[::g]",
            "[1.2.3.4]"})
    void refusesMalformedIpv6Literals(String host) {
        assertThat(OutboundGuard.hostProblem(host)).startsWith("'" + host + "' is not a valid IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa_mple.com", "-a.example", "a-.example", "a..example", ".", "", "ex ample.com"})
    void refusesInvalidHostNames(String host) {
        assertThat(OutboundGuard.hostProblem(host)).startsWith("'" + host + "' is not a valid host name");
    }

    @Test
    void hostNamesKeepToDnsLengthLimits() {
        assertThat(OutboundGuard.hostProblem("a".repeat(63) + ".example")).isNull();
        assertThat(OutboundGuard.hostProblem("a".repeat(64) + ".example")).contains("is not a valid host name");
        assertThat(OutboundGuard.hostProblem("a.".repeat(126) + "a")).isNull(); // 253 characters
        assertThat(OutboundGuard.hostProblem("a.".repeat(126) + "ab")).contains("is not a valid host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "EXAMPLE.com.", "localhost", "0x7f.example.com", "1.example", "123abc",
            "xn--bcher-kva.example", "93.184.215.14", "0.0.0.0", "255.255.255.255", "10.0.0.1", "[::1]", "::1",
            "[2606:4700:4700::1111]", "[::ffff:8.8.8.8]", "[64:ff9b::8.8.8.8]"})
    void acceptsDnsNamesCanonicalIpv4AndIpv6Literals(String host) {
        assertThat(OutboundGuard.hostProblem(host)).isNull();
    }

    @Test
    void allowlistedCidrsAndHostsPass() throws Exception {
        OutboundGuard guard = new OutboundGuard(" 127.0.0.1/32, ::1/128 ,10.1.0.0/16,Internal.Example, fd00::/8,"
                + "192.168.7.7", OutboundGuardTest::resolve);
        assertThat(guard.resolve("127.0.0.1")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("127.0.0.2")).isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThat(guard.resolve("::1")).hasSize(1);
        assertThat(guard.resolve("[::1]")).hasSize(1);
        assertThat(guard.resolve("10.1.255.255")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("10.2.0.1")).isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThat(guard.resolve("fd12::5")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("fc00::5")).isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThat(guard.resolve("192.168.7.7")).hasSize(1); // a bare address is a /32
        assertThatThrownBy(() -> guard.resolve("192.168.7.8"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class);
        // A host name on the list passes whatever it resolves to; matching ignores case and a trailing dot.
        assertThat(guard.resolve("internal.example")).extracting(InetAddress::getHostAddress).containsExactly("10.9.9.9");
        assertThat(guard.resolve("INTERNAL.example.")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("metadata.example"))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class);
    }

    @Test
    void ignoresMalformedAllowlistEntries() throws Exception {
        // 010.0.0.1 is ambiguous (decimal or octal), so it allows neither 10.0.0.1 nor 8.0.0.1.
        OutboundGuard guard = new OutboundGuard("300.1.1.1/8,10.0.0.0/33,::zz/64,127.0.0.1/x,010.0.0.1/32,127.0.0.1/32",
                OutboundGuardTest::resolve);
        assertThat(guard.resolve("127.0.0.1")).hasSize(1);
        assertThatThrownBy(() -> guard.resolve("10.0.0.1")).isInstanceOf(OutboundGuard.RefusedAddressException.class);
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHost() {
        assertThat(OutboundGuard.checkUrl("https://example.com/hook?a=1").getHost()).isEqualTo("example.com");
        assertThat(OutboundGuard.checkUrl("HTTP://example.com").getHost()).isEqualTo("example.com");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("ftp://example.com/x")).hasMessageContaining("only http");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("file:///etc/passwd")).hasMessageContaining("only http");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("gopher://127.0.0.1:6379/_")).hasMessageContaining("only http");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http:///path")).hasMessageContaining("no host");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://exa mple.com/")).hasMessageContaining("not a valid URL");
    }

    @Test
    void urlsWithAnUnclearHostAreRefusedInWords() {
        assertThat(OutboundGuard.checkUrl("http://[::ffff:8.8.8.8]:8080/x").getHost()).isEqualTo("[::ffff:8.8.8.8]");
        assertThat(OutboundGuard.checkUrl("https://93.184.215.14/").getHost()).isEqualTo("93.184.215.14");
        // java.net.URI takes these for hosts ...
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://0177.0.0.1/"))
                .hasMessageStartingWith("'http://0177.0.0.1/' is refused: '0177.0.0.1' looks like an IPv4 address but "
                        + "is not written as four decimal numbers");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://2130706433:80/"))
                .hasMessageContaining("'2130706433' looks like an IPv4 address");
        // ... and drops these, which would otherwise only say "no host".
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://user@0x7f.1:8080/x"))
                .hasMessageContaining("'0x7f.1' looks like an IPv4 address");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://127.1/")).hasMessageContaining("'127.1' looks like");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://exa_mple.com/"))
                .hasMessageContaining("'exa_mple.com' is not a valid host name");
        assertThatThrownBy(() -> OutboundGuard.checkUrl("http://[::ffff:0177.0.0.1]/"))
                .hasMessageContaining("is not a valid IPv6 address");
    }

    @Test
    void theEnvironmentVariableWinsOverTheConfiguration() {
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", null)).isEqualTo("127.0.0.1/32");
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", " ")).isEqualTo("127.0.0.1/32");
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", "::1/128")).isEqualTo("::1/128");
    }
}
