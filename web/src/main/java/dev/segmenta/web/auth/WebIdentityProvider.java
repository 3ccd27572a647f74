package dev.segmenta.web.auth;

import dev.segmenta.persistence.websession.WebSessions;
import dev.segmenta.persistence.websession.LoginThrottle;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the login form ({@code POST /j_security_check}): its CSRF token (login CSRF: a cross-site page must not sign
 * the victim in to the attacker's account), the throttle ({@link LoginThrottle}), then the user name and password
 * against {@code web_users}. A successful sign-in opens a server-side session ({@link WebSessions}).
 * Why a sign-in was refused is left on the request for {@link LoginRedirects}, which words the login page's message.
 */
@ApplicationScoped
public class WebIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    /** Routing-context key: why the sign-in was refused ({@link Refusal}). */
    static final String REFUSAL = "segmenta.login.refusal";

    /** Why a sign-in was refused, when it is not simply a wrong password. */
    record Refusal(String query) {
        static Refusal locked(Duration wait) {
            return new Refusal("locked=" + Math.max(1, (wait.toSeconds() + 59) / 60));
        }

        static final Refusal EXPIRED_FORM = new Refusal("expired");
    }

    private final WebUserService users;
    private final LoginThrottle throttle;
    private final WebSessions sessions;
    private final String csrfCookie;
    private final String csrfField;

    public WebIdentityProvider(WebUserService users, LoginThrottle throttle, WebSessions sessions,
            @ConfigProperty(name = "quarkus.rest-csrf.cookie-name", defaultValue = "csrf-token") String csrfCookie,
            @ConfigProperty(name = "quarkus.rest-csrf.form-field-name", defaultValue = "csrf-token") String csrfField) {
        this.users = users;
        this.throttle = throttle;
        this.sessions = sessions;
        this.csrfCookie = csrfCookie;
        this.csrfField = csrfField;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
        return context.runBlocking(() -> {
            if (rc == null) {
                throw new AuthenticationFailedException("sign-in without an HTTP request");
            }
            if (!formTokenMatchesCookie(rc)) {
                rc.put(REFUSAL, Refusal.EXPIRED_FORM);
                throw new AuthenticationFailedException("login form without a valid CSRF token");
            }
            // No account name holds NUL, and PostgreSQL text cannot: counted (throttled) under a storable spelling.
            String username = request.getUsername().replace('\u0000', '\uFFFD');
            String address = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
            Optional<java.time.Duration> locked = throttle.lockedFor(username, address);
            if (locked.isPresent()) {
                rc.put(REFUSAL, Refusal.locked(locked.get()));
                throw new AuthenticationFailedException("too many failed sign-ins");
            }
            Optional<WebUser> user = users.verify(username, request.getPassword().getPassword());
            if (user.isEmpty()) {
                throttle.failed(username, address);
                throw new AuthenticationFailedException();
            }
            throttle.succeeded(username);
            String sessionId = sessions.open(user.get().username());
            rc.response().addCookie(Cookie.cookie(WebSessions.COOKIE, sessionId).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(rc.request().isSSL()));
            return identity(user.get());
        });
    }

    /** The form's token must equal the CSRF cookie the login page set (double submit, as on every other form). */
    private boolean formTokenMatchesCookie(RoutingContext rc) {
        String field = rc.request().formAttributes().get(csrfField);
        Cookie cookie = rc.request().getCookie(csrfCookie);
        return field != null && cookie != null && !field.isEmpty() && MessageDigest.isEqual(
                field.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8));
    }

    static SecurityIdentity identity(WebUser user) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.username()))
                .addRoles(user.role().grantedRoleNames())
                .build();
    }
}
