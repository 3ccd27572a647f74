package dev.segmenta.web.auth;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who may create the first admin on {@code /setup}. Segmenta listens on every interface by default, so while no web
 * user exists "the first visitor" could be anyone who reaches the port. A browser on the server itself (a loopback
 * peer, not relayed by a proxy) may set up as before; from anywhere else the form also needs this one-time token,
 * which {@link FirstAdmin} logs at start-up — so only someone who can read the server's log can claim it.
 */
@ApplicationScoped
public class SetupToken {
    private final String token;

    public SetupToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        token = HexFormat.of().formatHex(bytes);
    }

    String value() {
        return token;
    }

    /** Whether the request comes from this machine directly: a loopback peer and no proxy's forwarding header. */
    static boolean local(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return false;
        }
        for (String header : new String[] {"Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Host"}) {
            if (request.getHeader(header) != null) {
                return false;
            }
        }
        try {
            return InetAddress.getByName(request.remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code request} may create the first admin with {@code offered} as the token (compared in constant time). */
    boolean admits(HttpServerRequest request, String offered) {
        return local(request) || offered != null
                && MessageDigest.isEqual(offered.strip().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
