package dev.segmenta.web.ui;

import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentMembers;
import dev.segmenta.persistence.segment.SegmentOrganisation;
import dev.segmenta.persistence.segment.SegmentStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The segment list: search, filter by tag, owner, health and size, sort, archived ones on request. */
@Path("/segments")
@Produces(MediaType.TEXT_HTML)
public class SegmentPages {
    /** What the filter bar holds, echoed back into the form. {@code sort}: name, size, changed. */
    public record Filters(String q, String tag, String owner, String sort, boolean archived, List<String> tags, List<String> owners,
            int archivedCount, String health, String minSize, String maxSize, String error) {
        public List<Choice> healthChoices() {
            return HEALTH;
        }
    }

    /** The health filter's choices: the value in the URL and what the drop-down says. */
    public record Choice(String value, String label) {}

    public static final List<Choice> HEALTH = List.of(new Choice("", "any"), new Choice("attention", "needs attention (any warning)"),
            new Choice("healthy", "healthy (no warning)"), new Choice("failed", "failed"), new Choice("stale", "stale"),
            new Choice("size", "empty, everyone or micro"), new Choice("naming", "naming (cryptic, drifted, no description)"));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<SegmentSummaries.Row> segments, Filters filters, int total, String message);
    }

    private final SegmentStore segments;
    private final SegmentMembers segmentMembers;
    private final SegmentOrganisation organisation;
    private final SchemaLoader schemas;
    private final Clock clock;

    public SegmentPages(SegmentStore segments, SegmentMembers segmentMembers, SegmentOrganisation organisation, SchemaLoader schemas, Clock clock) {
        this.segments = segments;
        this.segmentMembers = segmentMembers;
        this.organisation = organisation;
        this.schemas = schemas;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("tag") String tag, @QueryParam("owner") String owner,
            @QueryParam("sort") String sort, @QueryParam("archived") String archived, @QueryParam("health") String health,
            @QueryParam("min") String min, @QueryParam("max") String max, @QueryParam("message") String message) {
        Instant now = clock.instant();
        long totalUsers = schemas.load().totalUsers().orElse(0);
        String needle = clean(q).toLowerCase(Locale.ROOT);
        String wantTag = clean(tag).toLowerCase(Locale.ROOT);
        String wantOwner = clean(owner);
        String order = switch (clean(sort)) {
            case "size", "changed" -> clean(sort);
            default -> "name";
        };
        boolean showArchived = "1".equals(archived) || "true".equals(archived) || "on".equals(archived);
        String wantHealth = HEALTH.stream().map(Choice::value).filter(v -> v.equals(clean(health))).findFirst().orElse("");
        List<String> errors = new ArrayList<>();
        Long minSize = size(min, "From", errors);
        Long maxSize = size(max, "To", errors);
        List<Segment> all = segments.list();
        Map<Long, SegmentOrganisation.Labels> labels = organisation.all();
        List<Segment> matching = new ArrayList<>();
        for (Segment s : all) {
            SegmentOrganisation.Labels l = labels.get(s.id());
            if (l == null || (l.archived() && !showArchived)) {
                continue;
            }
            boolean text = needle.isEmpty() || s.name().toLowerCase(Locale.ROOT).contains(needle)
                    || (s.description() != null && s.description().toLowerCase(Locale.ROOT).contains(needle));
            boolean tagged = wantTag.isEmpty() || l.tags().contains(wantTag);
            boolean owned = wantOwner.isEmpty() || wantOwner.equalsIgnoreCase(l.owner());
            boolean sized = (minSize == null || s.size() >= minSize) && (maxSize == null || s.size() <= maxSize);
            if (text && tagged && owned && sized) {
                matching.add(s);
            }
        }
        Comparator<Segment> byName = Comparator.comparing(s -> s.name().toLowerCase(Locale.ROOT));
        matching.sort(switch (order) {
            case "size" -> Comparator.comparingLong(Segment::size).reversed().thenComparing(byName);
            case "changed" -> Comparator.comparing(Segment::updatedAt).reversed().thenComparing(byName);
            default -> byName;
        });
        List<SegmentSummaries.Row> rows = matching.stream()
                .map(s -> SegmentSummaries.row(s, labels.get(s.id()), segmentMembers, totalUsers, now))
                .filter(r -> healthy(r, wantHealth)).toList();
        TreeSet<String> tags = new TreeSet<>();
        TreeSet<String> owners = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        labels.values().forEach(l -> {
            tags.addAll(l.tags());
            owners.add(l.owner());
        });
        int archivedCount = (int) labels.values().stream().filter(SegmentOrganisation.Labels::archived).count();
        Filters filters = new Filters(clean(q), wantTag, wantOwner, order, showArchived, List.copyOf(tags), List.copyOf(owners), archivedCount,
                wantHealth, minSize == null ? "" : minSize.toString(), maxSize == null ? "" : maxSize.toString(),
                errors.isEmpty() ? null : String.join("; ", errors));
        return Templates.list(rows, filters, all.size() - (showArchived ? 0 : archivedCount), message);
    }

    /** Whether the row's warning badges (the same ones the list shows) fit the health filter. */
    static boolean healthy(SegmentSummaries.Row row, String health) {
        List<String> badges = row.badges().stream().map(Badge::text).toList();
        return switch (health) {
            case "attention" -> !badges.isEmpty();
            case "healthy" -> badges.isEmpty();
            case "failed", "stale" -> badges.contains(health);
            case "size" -> badges.stream().anyMatch(b -> b.equals("matches nobody") || b.equals("matches everyone") || b.equals("micro segment"));
            case "naming" -> badges.stream().anyMatch(b -> b.equals("cryptic name") || b.equals("missing name") || b.equals("missing description")
                    || b.equals("name drift"));
            default -> true;
        };
    }

    /** A size bound typed in the filter bar: empty is no bound; anything but a whole number ≥ 0 is reported and ignored. */
    private static Long size(String typed, String label, List<String> errors) {
        String v = clean(typed).replace(",", "").replace("_", "");
        if (v.isEmpty()) {
            return null;
        }
        if (!v.matches("[0-9]{1,15}")) {
            errors.add("Size " + label.toLowerCase(Locale.ROOT) + " '" + clean(typed) + "' is not a whole number of users; it was ignored");
            return null;
        }
        return Long.parseLong(v);
    }

    private static String clean(String s) {
        return s == null ? "" : s.trim();
    }
}
