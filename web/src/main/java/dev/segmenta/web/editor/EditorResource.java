package dev.segmenta.web.editor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.segment.Definition;
import dev.segmenta.persistence.segment.DefinitionReader;
import dev.segmenta.persistence.segment.InvalidRuleException;
import dev.segmenta.persistence.view.RuleProblem;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The segment editor: {@code /segments/new} and {@code /segments/{id}/edit}. The page carries the rule as AST JSON;
 * {@code builder.js} edits it and calls {@link BuilderResource} for previews. Saving posts an ordinary form (with
 * the CSRF token) and redirects to the segment page; a refused save shows the editor again with the problems and
 * nothing the user typed lost.
 */
@Path("/segments")
@RolesAllowed(Role.EDITOR_NAME)
@Blocking
public class EditorResource {
    private final SegmentStore segments;
    private final BuilderCatalog catalog;
    private final ObjectMapper json;
    private final CurrentUser currentUser;

    public EditorResource(SegmentStore segments, BuilderCatalog catalog, ObjectMapper json, CurrentUser currentUser) {
        this.segments = segments;
        this.catalog = catalog;
        this.json = json;
        this.currentUser = currentUser;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance editor(EditorPage page);
    }

    @GET
    @Path("/new")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance create() {
        return Templates.editor(new EditorPage(null, "", "", "", "", "builder", catalogJson(), List.of()));
    }

    @GET
    @Path("/{id}/edit")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance edit(@PathParam("id") long id) {
        Segment s = segments.get(id);
        return Templates.editor(new EditorPage(id, s.name(), s.description(), RuleJson.toTree(s.rule()).get("rule").toString(),
                s.dsl(), "builder", catalogJson(), List.of()));
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response saveNew(@FormParam("name") String name, @FormParam("description") String description, @FormParam("rule") String rule,
            @FormParam("dsl") String dsl, @FormParam("mode") String mode) {
        try {
            Segment saved = segments.create(name, description, Segment.Kind.DYNAMIC, definition(rule, dsl, mode), currentUser.actor());
            return Response.seeOther(URI.create("/segments/" + saved.id())).build();
        } catch (InvalidRuleException | SegmentaException e) {
            return refused(null, name, description, rule, dsl, mode, e);
        }
    }

    @POST
    @Path("/{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response saveEdit(@PathParam("id") long id, @FormParam("name") String name, @FormParam("description") String description,
            @FormParam("rule") String rule, @FormParam("dsl") String dsl, @FormParam("mode") String mode) {
        segments.get(id);
        try {
            segments.update(id, name, description == null ? "" : description, definition(rule, dsl, mode), currentUser.actor(), "edited in the editor");
            return Response.seeOther(URI.create("/segments/" + id)).build();
        } catch (InvalidRuleException | SegmentaException e) {
            return refused(id, name, description, rule, dsl, mode, e);
        }
    }

    /** The rule from whichever face the user was on when saving: the text tab sends text, the builder its AST. */
    private Definition definition(String rule, String dsl, String mode) {
        if ("text".equals(mode)) {
            return DefinitionReader.read(dsl, null);
        }
        if (rule == null || rule.isBlank()) {
            throw SegmentaException.badParams("rule", "The segment has no conditions yet: add at least one.");
        }
        JsonNode tree;
        try {
            tree = json.readTree(rule);
        } catch (JsonProcessingException e) {
            throw SegmentaException.badParams("rule", "The builder sent a rule that is not JSON: " + e.getOriginalMessage());
        }
        return DefinitionReader.read(null, tree);
    }

    private Response refused(Long id, String name, String description, String rule, String dsl, String mode, RuntimeException e) {
        List<String> errors = e instanceof InvalidRuleException invalid
                ? invalid.problems().stream().map(EditorResource::describe).toList()
                : List.of(e.getMessage());
        EditorPage page = new EditorPage(id, nullToEmpty(name), nullToEmpty(description), nullToEmpty(rule), nullToEmpty(dsl),
                "text".equals(mode) ? "text" : "builder", catalogJson(), errors);
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Templates.editor(page)).build();
    }

    private static String describe(RuleProblem p) {
        return p.line() > 0 ? "Line " + p.line() + ", column " + p.column() + ": " + p.message() : p.message();
    }

    private String catalogJson() {
        try {
            return json.writeValueAsString(catalog.load());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the catalog could not be written as JSON", e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
