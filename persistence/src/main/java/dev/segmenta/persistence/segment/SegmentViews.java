package dev.segmenta.persistence.segment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the segment API answers with. */
public final class SegmentViews {
    private SegmentViews() {}

    public record Member(long id, String email, String userId) {}

    /** How many users remain after each top-level condition of an {@code and} (or the whole rule otherwise). */
    public record FunnelStep(String condition, String description, long remaining) {}

    public record Preview(long count, long total, List<Member> sample, String description, String dsl,
            List<RuleProblem> warnings, List<FunnelStep> funnel, Map<String, Long> reachable) {}

    public record Impact(long added, long removed, List<Member> sampleAdded, List<Member> sampleRemoved) {}

    public record MemberPage(List<Member> members, Long nextCursor) {}

    public record Version(int version, String name, String description, String dsl, Instant savedAt, String savedBy, String note) {}

    public record SizeSnapshot(Instant at, long size, long entered, long exited, int durationMs, String cause, int version) {}

    public record MembershipChange(long userPk, String email, String userId, Instant at, String change, String cause) {}

    public record Computation(long size, long entered, long exited, int durationMs, List<GuardFlip> guardFailures) {}

    public record GuardFlip(long userPk, String email, String userId, boolean expectedIn) {}

    public record Guard(long userPk, String email, String userId, boolean expectIn, Boolean lastResult) {}
}
