package dev.segmenta.persistence.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a webhook may POST, so that a person allowed to add webhooks cannot make the server reach what only the server
 * can reach (server-side request forgery): its own ports, the cloud metadata service, the private network behind it.
 *
 * <p>Always refused: unspecified ({@code 0.0.0.0}, {@code ::}, which Linux connects to the local host), link-local
 * ({@code 169.254.0.0/16}, where cloud metadata answers, and {@code fe80::/10}), multicast and broadcast. Refused
 * unless {@code segmenta.webhooks.allow-private-networks} is on: loopback ({@code 127.0.0.0/8}, {@code ::1}) and
 * private ranges ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code 100.64/10}, {@code fc00::/7},
 * {@code fec0::/10}). The host name is resolved and <em>every</em> address it resolves to is checked, both when a
 * webhook is saved and before each POST (a name may resolve elsewhere later); the POST then resolves through the
 * same JVM address cache, and redirects are never followed.
 */
public final class WebhookDestinations {
    private WebhookDestinations() {}

    /**
     * Why {@code uri} may not be POSTed to, or empty when it may. A host that does not resolve is not refused here
     * (the POST itself fails and is logged).
     */
    public static Optional<String> refusal(URI uri, boolean allowPrivateNetworks) {
        String host = uri.getHost();
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refusal(address, allowPrivateNetworks);
            if (refused.isPresent()) {
                String resolved = host.equals(address.getHostAddress()) || host.equals("[" + address.getHostAddress() + "]") ? ""
                        : " (" + host + " resolves to " + address.getHostAddress() + ")";
                return Optional.of(refused.get() + resolved);
            }
        }
        return Optional.empty();
    }

    /** Why a connection to {@code address} is refused, or empty when it is allowed. */
    public static Optional<String> refusal(InetAddress address, boolean allowPrivateNetworks) {
        String always = alwaysRefused(address);
        if (always != null) {
            return Optional.of("webhooks may not be sent to " + always + " address " + address.getHostAddress());
        }
        String local = localKind(address);
        if (local != null && !allowPrivateNetworks) {
            return Optional.of("webhooks may not be sent to " + local + " address " + address.getHostAddress()
                    + " (an administrator can allow private networks: segmenta.webhooks.allow-private-networks=true)");
        }
        return Optional.empty();
    }

    private static String alwaysRefused(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "the unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address && (b[0] & 0xff) == 255 && (b[1] & 0xff) == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) {
            return "the broadcast";
        }
        if (a instanceof Inet4Address && (b[0] & 0xff) == 0) {
            return "a \"this network\" (0.0.0.0/8)";
        }
        Inet4Address embedded = embeddedIpv4(a);
        if (embedded != null) {
            String inner = alwaysRefused(embedded);
            return inner == null ? null : inner + " (embedded IPv4)";
        }
        return null;
    }

    private static String localKind(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        byte[] b = a.getAddress();
        if (a.isSiteLocalAddress()) {
            return "a private-network";
        }
        if (a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return "a shared (carrier-grade NAT)";
        }
        if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "a unique-local (private-network)";
        }
        Inet4Address embedded = embeddedIpv4(a);
        if (embedded != null) {
            String inner = localKind(embedded);
            return inner == null ? null : inner + " (embedded IPv4)";
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}) IPv6 address,
     * which reach that IPv4 host. ({@code ::ffff:a.b.c.d} is already an {@link Inet4Address} in Java.)
     */
    private static Inet4Address embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return null;
        }
        byte[] b = a.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (!compatible && !nat64 || compatible && b[12] == 0) {
            return null; // ::/104 holds :: and ::1, which are not IPv4 hosts
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
