package dev.segmenta.web.segment;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.segment.MembershipAt;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** "Who was in segment S on date D", replayed from the change log. */
@Path("/api/segments/{id}/members/at")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MembershipAtResource {
    private final MembershipAt membership;

    public MembershipAtResource(MembershipAt membership) {
        this.membership = membership;
    }

    @GET
    @RequiresScope(Scope.READ)
    public MembersAt members(@PathParam("id") long id, @QueryParam("date") String date,
            @QueryParam("cursor") @DefaultValue("0") long cursor, @QueryParam("limit") @DefaultValue("100") int limit) {
        Instant at = instant(date);
        SegmentViews.MemberPage page = membership.members(id, at, cursor, limit);
        return new MembersAt(id, at, membership.count(id, at), page.members(), page.nextCursor());
    }

    /** One page of who was in the segment at {@code at}, how many were, and the cursor of the next page (or null). */
    public record MembersAt(long segmentId, Instant at, long count, List<SegmentViews.Member> members, Long nextCursor) {}

    /** An ISO instant, or a bare date meaning the start of that day in UTC. */
    private static Instant instant(String date) {
        if (date == null || date.isBlank()) {
            throw SegmentaException.badParams("date", "date is required, e.g. date=2026-01-31T00:00:00Z");
        }
        try {
            return date.length() == 10 ? LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(date);
        } catch (DateTimeParseException e) {
            throw SegmentaException.badParams("date", "date must be an ISO-8601 instant like 2026-01-31T00:00:00Z, got '" + date + "'");
        }
    }
}
