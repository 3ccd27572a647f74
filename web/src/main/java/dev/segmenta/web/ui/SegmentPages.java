package dev.segmenta.web.ui;

import dev.segmenta.persistence.segment.SchemaLoader;
import dev.segmenta.persistence.segment.SegmentService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The segment list. */
@Path("/segments")
@Produces(MediaType.TEXT_HTML)
public class SegmentPages {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<SegmentSummaries.Row> segments, String q, int total);
    }

    private final SegmentService segments;
    private final SchemaLoader schemas;
    private final Clock clock;

    public SegmentPages(SegmentService segments, SchemaLoader schemas, Clock clock) {
        this.segments = segments;
        this.schemas = schemas;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q) {
        Instant now = clock.instant();
        long totalUsers = schemas.load().totalUsers().orElse(0);
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        var all = segments.list();
        List<SegmentSummaries.Row> rows = all.stream()
                .filter(s -> needle.isEmpty() || s.name().toLowerCase(Locale.ROOT).contains(needle)
                        || (s.description() != null && s.description().toLowerCase(Locale.ROOT).contains(needle)))
                .map(s -> SegmentSummaries.row(s, segments, totalUsers, now))
                .toList();
        return Templates.list(rows, q == null ? "" : q, all.size());
    }
}
