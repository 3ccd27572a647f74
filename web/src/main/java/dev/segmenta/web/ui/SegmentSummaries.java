package dev.segmenta.web.ui;

import dev.segmenta.core.check.Linter;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentMembers;
import dev.segmenta.persistence.segment.SegmentOrganisation;
import dev.segmenta.persistence.view.SegmentViews;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The one-line view of a segment shared by the segment list and the segment page header. */
public record SegmentSummaries() {
    /** A dynamic segment not recomputed for this long is flagged stale. */
    public static final Duration STALE_AFTER = Duration.ofHours(25);

    public record Row(long id, String name, String description, String kind, long size, String sparkline, String trend,
            String lastComputed, String lastComputedExact, List<Badge> badges, String owner, List<String> tags, boolean archived,
            String lastChanged, String lastChangedExact) {
        public boolean isStatic() {
            return Segment.Kind.STATIC.label().equals(kind);
        }
    }

    public static Row row(Segment s, SegmentMembers segmentMembers, long totalUsers, Instant now) {
        return row(s, null, segmentMembers, totalUsers, now);
    }

    /** {@code labels} null: the owner is whoever created the segment, no tags, not archived. */
    public static Row row(Segment s, SegmentOrganisation.Labels labels, SegmentMembers segmentMembers, long totalUsers, Instant now) {
        String owner = labels != null ? labels.owner() : s.createdBy() != null && s.createdBy().startsWith("web:") ? s.createdBy().substring(4) : s.createdBy();
        boolean archived = labels != null && labels.archived();
        List<Badge> badges = new ArrayList<>(badges(s, totalUsers, now));
        if (archived) { // not recomputed on purpose: "stale" would be noise
            badges.removeIf(b -> b.text().equals("stale"));
        }
        List<Long> sizes = segmentMembers.history(s.id()).stream().map(SegmentViews.SizeSnapshot::size).toList();
        List<Long> recent = sizes.size() > 30 ? sizes.subList(sizes.size() - 30, sizes.size()) : sizes;
        return new Row(s.id(), s.name(), s.description() == null ? "" : s.description(), s.kind().label(), s.size(),
                Sparkline.points(recent), Sparkline.trend(recent), Times.ago(s.lastComputedAt(), now), Times.exact(s.lastComputedAt()), badges,
                owner, labels == null ? List.of() : labels.tags(), archived, Times.ago(s.updatedAt(), now),
                Times.exact(s.updatedAt()));
    }

    public static List<Badge> badges(Segment s, long totalUsers, Instant now) {
        List<Badge> out = new ArrayList<>();
        if (s.lastError() != null && !s.lastError().isBlank()) {
            out.add(new Badge("failed", "bad", s.lastError()));
        }
        if (s.kind() == Segment.Kind.DYNAMIC && (s.lastComputedAt() == null || s.lastComputedAt().isBefore(now.minus(STALE_AFTER)))) {
            out.add(new Badge("stale", "warn", s.lastComputedAt() == null ? "never computed"
                    : "not recomputed since " + Times.exact(s.lastComputedAt())));
        }
        if (s.lastComputedAt() != null) {
            Linter.lintSize(s.size(), totalUsers).forEach(d -> out.add(Badge.of(d)));
        }
        Linter.lintName(s.name(), s.description(), s.rule()).forEach(d -> out.add(Badge.of(d)));
        return out;
    }
}
