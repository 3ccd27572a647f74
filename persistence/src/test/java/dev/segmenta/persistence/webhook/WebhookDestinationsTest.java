package dev.segmenta.persistence.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a webhook may reach, with and without segmenta.webhooks.allow-private-networks. */
class WebhookDestinationsTest {

    @ParameterizedTest(name = "{0}: by default {1}, with private networks allowed {2}")
    @CsvSource({
            // address,            default,  allowPrivateNetworks
            "93.184.215.14,        allowed,  allowed",
            "2606:4700::6810:84e5, allowed,  allowed",
            "127.0.0.1,            loopback, allowed",
            "127.8.9.10,           loopback, allowed",
            "::1,                  loopback, allowed",
            "::ffff:127.0.0.1,     loopback, allowed",
            "10.1.2.3,             private,  allowed",
            "172.16.0.1,           private,  allowed",
            "192.168.1.1,          private,  allowed",
            "100.64.0.1,           shared,   allowed",
            "fd00::1,              unique-local, allowed",
            "::10.0.0.1,           private,  allowed",
            "0.0.0.0,              unspecified, unspecified",
            "::,                   unspecified, unspecified",
            "0.1.2.3,              this network, this network",
            "169.254.169.254,      link-local, link-local",
            "fe80::1,              link-local, link-local",
            "64:ff9b::a9fe:a9fe,   link-local, link-local",
            "224.0.0.1,            multicast, multicast",
            "ff02::1,              multicast, multicast",
            "255.255.255.255,      broadcast, broadcast"
    })
    void addresses(String address, String byDefault, String withPrivate) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        assertRefusal(WebhookDestinations.refusal(a, false).orElse("allowed"), byDefault);
        assertRefusal(WebhookDestinations.refusal(a, true).orElse("allowed"), withPrivate);
    }

    private static void assertRefusal(String refusal, String expected) {
        if (expected.equals("allowed")) {
            assertThat(refusal).isEqualTo("allowed");
        } else {
            assertThat(refusal).startsWith("webhooks may not be sent to").contains(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8080/api/users/update, loopback",
            "http://localhost/hook,                  loopback",
            "http://[::1]:8080/,                     loopback",
            "http://2130706433/,                     loopback",
            "http://0.0.0.0:8080/,                   unspecified",
            "http://169.254.169.254/latest/meta-data, link-local",
            "https://[fe80::1]/,                     link-local"
    })
    void urls_checkTheAddressTheHostResolvesTo(String url, String expected) {
        assertThat(WebhookDestinations.refusal(URI.create(url), false)).hasValueSatisfying(reason -> assertThat(reason).contains(expected));
    }

    @ParameterizedTest
    @CsvSource({"https://93.184.215.14/hook", "http://unresolvable-host.invalid/hook"})
    void publicOrUnresolvableUrls_areNotRefused(String url) {
        assertThat(WebhookDestinations.refusal(URI.create(url), false)).isEmpty();
    }
}
