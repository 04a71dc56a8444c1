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
            "::127.0.0.1"})
    void refusesNonPublicAddresses(String ip) throws Exception {
        assertThat(OutboundGuard.isPublic(InetAddress.getByName(ip))).as(ip).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "9.255.255.255", "11.0.0.0", "172.15.255.255",
            "172.32.0.1", "100.63.255.255", "100.128.0.1", "169.253.255.255", "192.0.1.1", "192.167.255.255",
            "198.17.255.255", "198.20.0.1", "223.255.255.255", "2606:4700:4700::1111", "2001:4860:4860::8888",
            "64:ff9b::808:808", "2002:808:808::1"})
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
        OutboundGuard guard = new OutboundGuard("300.1.1.1/8,10.0.0.0/33,::zz/64,127.0.0.1/x,127.0.0.1/32",
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
    void theEnvironmentVariableWinsOverTheConfiguration() {
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", null)).isEqualTo("127.0.0.1/32");
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", " ")).isEqualTo("127.0.0.1/32");
        assertThat(OutboundGuard.allowlist("127.0.0.1/32", "::1/128")).isEqualTo("::1/128");
    }
}
