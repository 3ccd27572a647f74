package dev.segmenta.persistence.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the segment API answers with. */
public final class SegmentViews {
    private SegmentViews() {}

    public record Member(long id, String email, String userId) {}

    /**
     * A count estimated from a sample ({@code segmenta.columnar.sample-rate} below 1): the count beside it is the point
     * estimate, and the true count is between {@code low} and {@code high} with probability {@code confidence}.
     * {@code sampledUsers} of the users, a share {@code sampleRate}, were evaluated. Exact answers carry none.
     */
    public record Estimate(long low, long high, double confidence, double sampleRate, long sampledUsers) {}

    /** How many users remain after each top-level condition of an {@code and} (or the whole rule otherwise). */
    public record FunnelStep(String condition, String description, long remaining, @JsonInclude(JsonInclude.Include.NON_NULL) Estimate estimate) {
        public FunnelStep(String condition, String description, long remaining) {
            this(condition, description, remaining, null);
        }
    }

    /**
     * {@code engine} answered ({@code columnar} or {@code sql}); {@code fallback} says why SQL did, or is null.
     * {@code overlap}: the rule's overlap with the segment the request named in {@code overlapWith}, or null.
     * From a sampled engine, {@code count}, the funnel and {@code reachable} are estimates ({@code estimate},
     * each step's {@code estimate}, {@code reachableEstimates}); {@code total} is every user, exactly.
     */
    public record Preview(long count, long total, List<Member> sample, String description, String dsl,
            List<RuleProblem> warnings, List<FunnelStep> funnel, Map<String, Long> reachable, String engine, String fallback,
            OverlapWith overlap, @JsonInclude(JsonInclude.Include.NON_NULL) Estimate estimate,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Estimate> reachableEstimates) {}

    /**
     * How a rule overlaps one saved segment, both evaluated now: the segment's size, the rule's, and how many users
     * are in both; {@code engine} and {@code fallback} as in {@link Preview}.
     */
    public record OverlapWith(long segmentId, String segmentName, long segmentSize, long ruleSize, long both, String engine,
            String fallback, @JsonInclude(JsonInclude.Include.NON_NULL) Estimate segmentSizeEstimate,
            @JsonInclude(JsonInclude.Include.NON_NULL) Estimate ruleSizeEstimate,
            @JsonInclude(JsonInclude.Include.NON_NULL) Estimate bothEstimate) {}

    public record Impact(long added, long removed, List<Member> sampleAdded, List<Member> sampleRemoved, String engine, String fallback,
            @JsonInclude(JsonInclude.Include.NON_NULL) Estimate addedEstimate,
            @JsonInclude(JsonInclude.Include.NON_NULL) Estimate removedEstimate) {
        public Impact(long added, long removed, List<Member> sampleAdded, List<Member> sampleRemoved) {
            this(added, removed, sampleAdded, sampleRemoved, null, null, null, null);
        }
    }

    /**
     * Sizes of several segments or rules, of each pair's intersection and of their union. {@code pairs} holds each
     * pair once ({@code a < b}, indexes into {@code items}).
     */
    public record Overlap(List<OverlapItem> items, List<OverlapPair> pairs, long union, long total, String engine, String fallback,
            @JsonInclude(JsonInclude.Include.NON_NULL) Estimate unionEstimate) {}

    /** One compared rule: the segment's id and name, or null for an unsaved rule; its rule text and size. */
    public record OverlapItem(Long segmentId, String name, String dsl, long size, @JsonInclude(JsonInclude.Include.NON_NULL) Estimate estimate) {
        public OverlapItem(Long segmentId, String name, String dsl, long size) {
            this(segmentId, name, dsl, size, null);
        }
    }

    public record OverlapPair(int a, int b, long both, @JsonInclude(JsonInclude.Include.NON_NULL) Estimate estimate) {
        public OverlapPair(int a, int b, long both) {
            this(a, b, both, null);
        }
    }

    /**
     * A page of members; {@code engine} says who answered: {@code columnar} or {@code sql} (a dynamic segment's rule
     * evaluated now; {@code fallback} says why SQL did, or is null) or {@code stored} (a static segment's frozen
     * membership, or membership at a past instant).
     */
    public record MemberPage(List<Member> members, Long nextCursor, String engine, String fallback) {
        public MemberPage(List<Member> members, Long nextCursor) {
            this(members, nextCursor, "stored", null);
        }
    }

    public record Version(int version, String name, String description, String dsl, Instant savedAt, String savedBy, String note) {}

    /** {@code engine} computed that run (null before it was recorded); {@code fallback} says why SQL did, or is null. */
    public record SizeSnapshot(Instant at, long size, long entered, long exited, int durationMs, String cause, int version, String engine,
            String fallback) {}

    public record MembershipChange(long userPk, String email, String userId, Instant at, String change, String cause) {}

    /** {@code engine} computed the membership ({@code columnar} or {@code sql}); {@code fallback} says why SQL did, or is null. */
    public record Computation(long size, long entered, long exited, int durationMs, List<GuardFlip> guardFailures, String engine,
            String fallback) {}

    public record GuardFlip(long userPk, String email, String userId, boolean expectedIn) {}

    public record Guard(long userPk, String email, String userId, boolean expectIn, Boolean lastResult) {}
}
