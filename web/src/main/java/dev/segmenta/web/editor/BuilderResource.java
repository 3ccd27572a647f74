package dev.segmenta.web.editor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.core.check.Diagnostic;
import dev.segmenta.core.check.Linter;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.segment.Definition;
import dev.segmenta.persistence.segment.SegmentPreviews;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.web.api.ExpensiveRead;
import dev.segmenta.web.auth.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The editor's own JSON endpoints, called by {@code builder.js} with the login session and the CSRF token in the
 * {@code X-CSRF-TOKEN} header (the API under {@code /api} takes API keys, which a browser must never hold).
 *
 * <p>Every request body carries the rule either as AST JSON ({@code "rule": {...}}) or as rule-language text
 * ({@code "dsl": "..."}). A rule that does not parse or check is answered 400 with {@code errors}, each with its
 * line and column, by the application's one exception mapper.
 */
@Path("/ui")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.EDITOR_NAME)
@CsrfHeaderRequired
@Blocking
public class BuilderResource {
    static final int SAMPLE_SIZE = 8;

    private final SegmentStore segments;
    private final SegmentPreviews previews;
    private final BuilderCatalog catalog;
    @jakarta.inject.Inject
    dev.segmenta.persistence.export.MemberColumns memberColumns;

    public BuilderResource(SegmentStore segments, SegmentPreviews previews, BuilderCatalog catalog) {
        this.segments = segments;
        this.previews = previews;
        this.catalog = catalog;
    }

    @GET
    @Path("/catalog")
    public BuilderCatalog.Catalog catalog() {
        return catalog.load();
    }

    /** Canonical text of an AST: what the rule-language tab shows when the user switches to it. */
    @POST
    @Path("/print")
    public Printed print(BuilderRequests.Rule request) {
        return new Printed(request.definition().dsl());
    }

    public record Printed(String dsl) {}

    /** The AST of some text: what the builder shows when the user switches back from the rule-language tab. */
    @POST
    @Path("/parse")
    public Parsed parse(BuilderRequests.Rule request) {
        Definition d = request.definition();
        return new Parsed(RuleJson.toTree(d.rule()).get("rule"), d.dsl());
    }

    /** The rule's AST (its JSON form) and canonical text. */
    public record Parsed(JsonNode rule, String dsl) {}

    /** Count, share of all users, sample, funnel, warnings and description of a rule as it stands. */
    @POST
    @Path("/preview")
    @ExpensiveRead
    public Map<String, Object> preview(BuilderRequests.Preview request) {
        SegmentViews.Preview preview = previews.preview(request.definition(), SAMPLE_SIZE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", preview.count());
        out.put("total", preview.total());
        out.put("percent", preview.total() == 0 ? 0.0 : 100.0 * preview.count() / preview.total());
        if (preview.estimate() != null) {
            // From a sampled engine: the count is a point estimate (docs/spark.md, "Previews from a sample").
            out.put("estimate", preview.estimate());
            out.put("reachableEstimates", preview.reachableEstimates());
        }
        // Chosen columns ("columns": ["plan", "address.city"]) come with each sample user's values, in that order.
        List<dev.segmenta.core.ast.FieldPath> columns = memberColumns.resolve(request.columnNames());
        Map<Long, List<String>> values = memberColumns.values(preview.sample().stream().mapToLong(SegmentViews.Member::id).toArray(), columns);
        out.put("columns", columns.stream().map(dev.segmenta.core.ast.FieldPath::dotted).toList());
        out.put("sample", preview.sample().stream().map(m -> new SampleMember(m.id(), m.email(), m.userId(),
                values.getOrDefault(m.id(), columns.stream().map(c -> "").toList()))).toList());
        out.put("description", preview.description());
        out.put("dsl", preview.dsl());
        out.put("warnings", preview.warnings());
        out.put("funnel", preview.funnel());
        out.put("reachable", preview.reachable());
        return out;
    }

    /** A sample user of the preview with the values of the chosen columns. */
    public record SampleMember(long id, String email, String userId, List<String> values) {}

    /** Who saving this rule over segment {@code id} would add and remove. */
    @POST
    @Path("/impact/{id}")
    @ExpensiveRead
    public SegmentViews.Impact impact(@PathParam("id") long id, BuilderRequests.Rule request) {
        return previews.impact(id, request.definition(), 5);
    }

    /** The saved segments the editor offers to compare the rule with ({@code editor-overlap.js}). */
    @GET
    @Path("/overlap/segments")
    public OverlapCandidates overlapCandidates() {
        return new OverlapCandidates(segments.list().stream()
                .sorted(java.util.Comparator.comparing(dev.segmenta.persistence.segment.Segment::name, String.CASE_INSENSITIVE_ORDER))
                .map(s -> new SegmentName(s.id(), s.name())).toList());
    }

    /** Every saved segment, by name regardless of case. */
    public record OverlapCandidates(List<SegmentName> segments) {}

    public record SegmentName(long id, String name) {}

    /** How many users of the rule as it stands are also in saved segment {@code segmentId}. */
    @POST
    @Path("/overlap")
    @ExpensiveRead
    public SegmentViews.OverlapWith overlap(BuilderRequests.Overlap request) {
        return previews.overlapWith(request.definition(), request.segmentId());
    }

    /** Naming lint for the name and description fields. */
    @POST
    @Path("/name-lint")
    public NameWarnings nameLint(BuilderRequests.NameLint request) {
        String name = Objects.requireNonNullElse(request.name(), "");
        List<Diagnostic> lint = new java.util.ArrayList<>(Linter.lintName(name, Objects.requireNonNullElse(request.description(), "")));
        lint.addAll(nameDrift(name, request));
        return new NameWarnings(lint.stream().map(d -> new NameWarning(d.code(), d.message())).toList());
    }

    public record NameWarnings(List<NameWarning> warnings) {}

    public record NameWarning(String code, String message) {}

    /** Name drift against the rule sent with the name ({@code dsl} or {@code rule}); none while the rule is absent or does not parse (the preview reports that). */
    private static List<Diagnostic> nameDrift(String name, BuilderRequests.NameLint request) {
        if (!request.hasRule()) {
            return List.of();
        }
        try {
            return Linter.lintNameDrift(name, request.definition().rule());
        } catch (dev.segmenta.persistence.error.SegmentaException | dev.segmenta.persistence.segment.InvalidRuleException unreadable) {
            return List.of();
        }
    }
}
