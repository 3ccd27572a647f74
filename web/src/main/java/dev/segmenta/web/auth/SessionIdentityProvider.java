package dev.segmenta.web.auth;

import dev.segmenta.persistence.websession.WebSessions;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns the session cookie of a signed-in user back into an identity on each request. The encrypted cookie alone is
 * not enough: its server-side session ({@link WebSessions}) must still exist, so signing out ends it for good. The
 * role is read afresh, so that a role change or a deleted user takes effect at once rather than when the session
 * ends.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {
    private final WebUserService users;
    private final WebSessions sessions;

    public SessionIdentityProvider(WebUserService users, WebSessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
        Cookie sid = rc == null ? null : rc.request().getCookie(WebSessions.COOKIE);
        return context.runBlocking(() -> {
            if (sid == null || !sessions.isLive(sid.getValue(), request.getPrincipal())) {
                throw new AuthenticationFailedException("no live server-side session");
            }
            return users.find(request.getPrincipal())
                    .map(WebIdentityProvider::identity)
                    .orElseThrow(AuthenticationFailedException::new);
        });
    }
}
