package dev.segmenta.web.auth;

import dev.segmenta.persistence.websession.WebSessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign in, first-time setup and sign out. The form posts to {@code /j_security_check}, where Quarkus form
 * authentication checks it with {@link WebIdentityProvider} and sets the encrypted session cookie.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginPage {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean error, boolean loggedOut, boolean setupDone, Integer lockedMinutes, boolean expired);

        static native TemplateInstance setup(String error, boolean needsToken);
    }

    private final WebUserService users;
    private final WebSessions sessions;
    private final String sessionCookie;

    private final SetupToken setupToken;

    public LoginPage(WebUserService users, WebSessions sessions, SetupToken setupToken,
            @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String sessionCookie) {
        this.users = users;
        this.sessions = sessions;
        this.setupToken = setupToken;
        this.sessionCookie = sessionCookie;
    }

    /** {@code locked} (minutes to wait) and {@code expired} come from {@link LoginRedirects}. */
    @GET
    @Path("login")
    public Response login(@QueryParam("error") String error, @QueryParam("loggedOut") String loggedOut, @QueryParam("setup") String setup,
            @QueryParam("locked") Integer locked, @QueryParam("expired") String expired) {
        if (!users.anyExist()) {
            return Response.seeOther(URI.create("/setup")).build();
        }
        Integer lockedMinutes = locked == null || locked < 1 ? null : Math.min(locked, 60);
        return Response.ok(Templates.login(error != null, loggedOut != null, setup != null, lockedMinutes, expired != null))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("setup")
    public Response setup(@Context HttpServerRequest request) {
        if (users.anyExist()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        return Response.ok(Templates.setup(null, !SetupToken.local(request))).build();
    }

    /**
     * Creates the first admin; refused once any web user exists, so the page cannot be used to take over; from
     * another machine only with the setup token ({@link SetupToken}). One at a time, so two forms sent together
     * cannot both make an admin.
     */
    @POST
    @Path("setup")
    public Response createFirstAdmin(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("confirm") String confirm, @FormParam("token") String token, @Context HttpServerRequest request) {
        boolean needsToken = !SetupToken.local(request);
        synchronized (SETUP) {
            if (users.anyExist()) {
                return Response.status(Response.Status.FORBIDDEN).entity(Templates.setup("Setup is already done: sign in instead.", false))
                        .build();
            }
            if (!setupToken.admits(request, token)) {
                return Response.status(Response.Status.FORBIDDEN).entity(Templates.setup("From another machine, setup needs the setup token "
                        + "Segmenta wrote to its log at start-up (\"No web users yet: … setup token …\").", true)).build();
            }
            if (password == null || !password.equals(confirm)) {
                return Response.status(Response.Status.BAD_REQUEST).entity(Templates.setup("The two passwords differ.", needsToken)).build();
            }
            try {
                users.create(username, password, Role.ADMIN, "setup");
            } catch (IllegalArgumentException e) {
                return Response.status(Response.Status.BAD_REQUEST).entity(Templates.setup(e.getMessage(), needsToken)).build();
            }
        }
        return Response.seeOther(URI.create("/login?setup")).build();
    }

    private static final Object SETUP = new Object();

    /** Ends the session on the server too: a copy of the old cookies no longer signs anyone in. */
    @POST
    @Path("logout")
    public Response logout(@CookieParam(WebSessions.COOKIE) String sessionId) {
        sessions.close(sessionId);
        NewCookie expired = new NewCookie.Builder(sessionCookie).value("").path("/").maxAge(0).httpOnly(true).build();
        NewCookie expiredId = new NewCookie.Builder(WebSessions.COOKIE).value("").path("/").maxAge(0).httpOnly(true).build();
        return Response.seeOther(URI.create("/login?loggedOut")).cookie(expired, expiredId).build();
    }
}
