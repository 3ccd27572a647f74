package dev.segmenta.web.ui;

import dev.segmenta.persistence.apikey.ApiKey;
import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUser;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Admin only: the people who sign in, the API keys programs use, and the audit log of changes. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_NAME)
public class AdminPages {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accounts(List<WebUser> users, List<String> roles, String message, String error);

        static native TemplateInstance keys(List<ApiKey> keys, String createdName, String createdSecret, String error);

        static native TemplateInstance audit(List<AuditEntries.Entry> entries, String actor, Long next);
    }

    private static final List<String> ROLES = List.of("viewer", "editor", "admin");
    private final WebUserService users;
    private final ApiKeyService keys;
    private final AuditEntries audit;
    private final CurrentUser me;

    public AdminPages(WebUserService users, ApiKeyService keys, AuditEntries audit, CurrentUser me) {
        this.users = users;
        this.keys = keys;
        this.audit = audit;
        this.me = me;
    }

    @GET
    public Response index() {
        return Response.seeOther(URI.create("/admin/accounts")).build();
    }

    @GET
    @Path("accounts")
    public TemplateInstance accounts(@QueryParam("message") String message) {
        return Templates.accounts(users.list(), ROLES, message, null);
    }

    @POST
    @Path("accounts")
    public Response createAccount(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("role") String role) {
        return change(() -> users.create(username, password, Role.fromLabel(role), me.actor()), "Created " + username);
    }

    @POST
    @Path("accounts/{username}/password")
    public Response resetPassword(@PathParam("username") String username, @FormParam("password") String password) {
        return change(() -> users.resetPassword(username, password, me.actor()), "New password set for " + username);
    }

    @POST
    @Path("accounts/{username}/role")
    public Response changeRole(@PathParam("username") String username, @FormParam("role") String role) {
        return change(() -> users.changeRole(username, Role.fromLabel(role), me.actor()), username + " is now " + role);
    }

    @POST
    @Path("accounts/{username}/delete")
    public Response deleteAccount(@PathParam("username") String username) {
        return change(() -> users.delete(username, me.actor()), "Deleted " + username);
    }

    private Response change(Runnable change, String done) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Templates.accounts(users.list(), ROLES, null, e.getMessage())).build();
        }
        return Response.seeOther(URI.create("/admin/accounts?message=" + java.net.URLEncoder.encode(done, java.nio.charset.StandardCharsets.UTF_8)))
                .build();
    }

    @GET
    @Path("keys")
    public TemplateInstance keys() {
        return Templates.keys(keys.list(), null, null, null);
    }

    /** Shows the new secret on this response only; it is stored hashed and never shown again. */
    @POST
    @Path("keys")
    public Response createKey(@FormParam("name") String name, @FormParam("scope") List<String> scopes) {
        if (name == null || name.isBlank() || scopes == null || scopes.isEmpty()) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.keys(keys.list(), null, null, "A key needs a name and at least one scope.")).build();
        }
        Set<Scope> held = EnumSet.noneOf(Scope.class);
        try {
            scopes.forEach(s -> held.add(Scope.fromLabel(s)));
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Templates.keys(keys.list(), null, null, "Unknown scope.")).build();
        }
        ApiKeyService.CreatedKey created = keys.create(name.trim(), held, me.actor());
        return Response.ok(Templates.keys(keys.list(), created.key().name(), created.secret(), null))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("keys/{id}/revoke")
    public Response revokeKey(@PathParam("id") long id) {
        keys.revoke(id, me.actor());
        return Response.seeOther(URI.create("/admin/keys")).build();
    }

    @GET
    @Path("audit")
    public TemplateInstance audit(@QueryParam("before") Long before, @QueryParam("actor") String actor) {
        String who = actor == null || actor.isBlank() ? null : actor.trim();
        List<AuditEntries.Entry> entries = audit.page(before, who, 100);
        Long next = entries.size() == 100 ? entries.get(entries.size() - 1).id() : null;
        return Templates.audit(entries, who == null ? "" : who, next);
    }
}
