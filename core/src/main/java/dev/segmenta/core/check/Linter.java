package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.Window;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.core.text.SourceMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Warnings about rules that check but probably do not mean what their author thinks (DESIGN.md §6 "Linter"):
 * negative event rules without a window, negative comparisons that also match users without the field, sparse
 * fields, events not received lately, rules too deep or too long, and contradictions, tautologies and duplicates
 * that can be proved from the text alone. Every warning has a code (see {@code docs/linter.md}), a one-line
 * message and the position of the offending node. Immutable and thread-safe; {@code now} is passed in.
 *
 * <p>Example: {@code new Linter(schema, now).lint(parse("not performed \"purchase\""), sourceMap)} gives
 * {@code WARNING negative-event-without-window 1:1 …suggest 'signupDate more than 30 days ago'}.
 */
public final class Linter {
    /** A field set on fewer than this share of users is sparse. */
    public static final double SPARSE_SHARE = 0.10;
    static final Duration STALE_AFTER = Duration.ofDays(30);
    static final int MAX_DEPTH = 3;
    static final int MAX_RULES = 8;
    static final long MICRO_SEGMENT = 50;

    private final Schema schema;
    private final Instant now;

    public Linter(Schema schema, Instant now) {
        this.schema = requireNonNull(schema, "schema is null");
        this.now = requireNonNull(now, "now is null");
    }

    /** The warnings of a rule that has no text: positions are unknown. */
    public List<Diagnostic> lint(Rule rule) {
        return lint(rule, SourceMap.EMPTY);
    }

    /** The warnings of {@code rule}, positioned through {@code positions}. */
    public List<Diagnostic> lint(Rule rule, SourceMap positions) {
        requireNonNull(rule, "rule is null");
        Context context = new Context(schema, now, requireNonNull(positions, "positions is null"),
                boundsSignup(rule), suggestionContradicts(rule, now));
        rule.accept(new Walk(context, false, 0));
        if (context.leaves > MAX_RULES) {
            context.warn("too-many-rules", "this segment has " + context.leaves + " rules; more than " + MAX_RULES
                    + " are hard to review — split it into saved segments and combine them with 'in segment'", rule);
        }
        return List.copyOf(context.out);
    }

    /**
     * Naming lint for a segment: a missing name, a cryptic one ({@code Q2_Engaged_7d_ish}: underscores, no
     * spaces, abbreviations, all capitals) and a missing description.
     *
     * <p>Example: {@code lintName("Q2_Engaged_7d_ish", "")} gives {@code cryptic-name} and
     * {@code missing-description}.
     */
    public static List<Diagnostic> lintName(String name, String description) {
        return SegmentNames.lint(name, description);
    }

    /**
     * Naming lint with the rule: {@link #lintName(String, String)} plus {@link #lintNameDrift}.
     */
    public static List<Diagnostic> lintName(String name, String description, Rule rule) {
        List<Diagnostic> out = new ArrayList<>(SegmentNames.lint(name, description));
        out.addAll(lintNameDrift(name, rule));
        return List.copyOf(out);
    }

    /**
     * Name drift: numbers, time windows, places and quoted values in the name that the rule no longer matches
     * ({@code name-drift}).
     *
     * <p>Example: {@code lintNameDrift("Signed up in the last 30 days", parse("signupDate within last 14 days"))} gives
     * {@code name-drift "the name says '30 days' but the rule's time window is 14 days — …"}.
     */
    public static List<Diagnostic> lintNameDrift(String name, Rule rule) {
        return NameDrift.lint(name, rule);
    }

    /**
     * Size lint from a count: {@code matches-nobody}, {@code matches-everyone} or {@code micro-segment} (fewer
     * than 50 users).
     *
     * <p>Example: {@code lintSize(12, 10_000)} gives {@code micro-segment "only 12 users match…"}.
     */
    public static List<Diagnostic> lintSize(long matching, long totalUsers) {
        if (totalUsers <= 0) {
            return List.of();
        }
        if (matching == 0) {
            return List.of(Diagnostic.warning("matches-nobody",
                    "no user matches this segment — check the values and windows of its rules", Position.UNKNOWN));
        }
        if (matching >= totalUsers) {
            return List.of(Diagnostic.warning("matches-everyone", "every user (" + totalUsers
                    + ") matches this segment, so it does not select anyone — check for a rule that always holds",
                    Position.UNKNOWN));
        }
        if (matching < MICRO_SEGMENT) {
            return List.of(Diagnostic.warning("micro-segment", "only " + matching + " user"
                    + (matching == 1 ? "" : "s") + " match; results and trends of segments under " + MICRO_SEGMENT
                    + " users are mostly noise", Position.UNKNOWN));
        }
        return List.of();
    }

    /** What the negative-event warning suggests adding when nothing in the rule rules it out. */
    static final FieldRule SIGNUP_GUARD = new FieldRule(FieldPath.of("signupDate"),
            new DateCondition.MoreThanAgo(new Span(30, Span.Unit.DAY)));

    /**
     * Whether the rule already bounds when its users signed up — {@code signupDate more than 30 days ago} keeps new
     * users out, {@code signupDate within last 30 days} asks for them on purpose — so a negative event rule without a
     * window matches no one merely for being new.
     */
    private static boolean boundsSignup(Rule rule) {
        return topLevelConditions(rule).stream()
                .anyMatch(f -> f.field().equals(SIGNUP_GUARD.field()) && f.condition().accept(IS_DATE));
    }

    /** Any date condition on the sign-up date bounds it; nothing else does. */
    private static final FieldCondition.Visitor<Boolean> IS_DATE = new FieldCondition.DefaultVisitor<>() {
        @Override
        public Boolean date(DateCondition condition) {
            return true;
        }

        @Override
        protected Boolean otherwise(FieldCondition condition) {
            return false;
        }
    };

    /**
     * {@code is set} / {@code is not set} ask about presence itself; every other kind matches a missing value only
     * through its negative form.
     */
    private static final FieldCondition.Visitor<Boolean> ABOUT_PRESENCE = new FieldCondition.DefaultVisitor<>() {
        @Override
        public Boolean isSet(FieldCondition.IsSet condition) {
            return true;
        }

        @Override
        protected Boolean otherwise(FieldCondition condition) {
            return false;
        }
    };

    private static final Window.Visitor<Boolean> UNBOUNDED = new Window.Visitor<>() {
        @Override
        public Boolean ever(Window.Ever window) {
            return true;
        }

        @Override
        public Boolean during(Window.During window) {
            return false;
        }
    };

    /** The field rules every match must satisfy: the rule itself, or the members of its top-level {@code and}s. */
    private static List<FieldRule> topLevelConditions(Rule rule) {
        List<FieldRule> out = new ArrayList<>();
        if (rule instanceof FieldRule) {
            out.add((FieldRule) rule);
        } else if (rule instanceof And) {
            ((And) rule).rules().forEach(r -> out.addAll(topLevelConditions(r)));
        }
        return out;
    }

    /** Whether adding {@code SIGNUP_GUARD} would contradict what the rule already requires of signupDate. */
    private static boolean suggestionContradicts(Rule rule, Instant now) {
        ValueConstraints constraints = new ValueConstraints(now);
        for (FieldRule f : topLevelConditions(rule)) {
            if (f.field().equals(SIGNUP_GUARD.field()) && !constraints.add(f.condition())) {
                return false; // already contradictory on its own: the contradiction warning says so
            }
        }
        return !constraints.add(SIGNUP_GUARD.condition());
    }

    /** What one lint run shares across the walk. */
    private static final class Context {
        final Schema schema;
        final Instant now;
        final SourceMap positions;
        final boolean signupGuard;
        final boolean guardContradicts;
        final List<Diagnostic> out = new ArrayList<>();
        int leaves;
        boolean reportedDepth;

        Context(Schema schema, Instant now, SourceMap positions, boolean signupGuard, boolean guardContradicts) {
            this.schema = schema;
            this.now = now;
            this.positions = positions;
            this.signupGuard = signupGuard;
            this.guardContradicts = guardContradicts;
        }

        void warn(String code, String message, Object node) {
            out.add(Diagnostic.warning(code, message, positions.positionOf(node)));
        }
    }

    /** Walks one node; {@code negated} under an odd number of {@code not}s, {@code depth} groups above it. */
    private static final class Walk implements RuleVisitor<Void> {
        private final Context context;
        private final boolean negated;
        private final int depth;

        Walk(Context context, boolean negated, int depth) {
            this.context = context;
            this.negated = negated;
            this.depth = depth;
        }

        @Override
        public Void visitAnd(And rule) {
            group(rule, rule.rules(), true);
            return null;
        }

        @Override
        public Void visitOr(Or rule) {
            group(rule, rule.rules(), false);
            return null;
        }

        @Override
        public Void visitNot(Not rule) {
            if (rule.rule() instanceof Not) {
                context.warn("double-negation", "'not not' cancels out — remove both", rule);
            }
            return rule.rule().accept(new Walk(context, !negated, depth));
        }

        @Override
        public Void visitField(FieldRule rule) {
            context.leaves++;
            FieldCondition c = rule.condition();
            if (ValueConstraints.emptyRange(c)) {
                context.warn("contradiction", "'" + phrase(rule) + "' can never hold: the range starts after it ends",
                        rule);
            }
            Optional<CatalogField> field = context.schema.userField(rule.field());
            OptionalLong total = context.schema.totalUsers();
            OptionalLong set = context.schema.usersWithField(rule.field());
            if (field.isEmpty() || total.isEmpty() || set.isEmpty() || total.getAsLong() == 0) {
                return null;
            }
            String path = rule.field().dotted();
            long missing = Math.max(0, total.getAsLong() - set.getAsLong());
            boolean matchesMissing = !c.accept(ABOUT_PRESENCE)
                    && negated != c.negativeForm();
            if (matchesMissing && missing > 0) {
                context.warn("matches-missing-values", "'" + phrase(rule) + "' also matches the " + count(missing)
                        + " users (" + percent(missing, total.getAsLong()) + ") with no value for '" + path
                        + "' — add '" + path + " is set' if you meant only users who have one", rule);
            }
            if (!rule.field().isSystemField() && set.getAsLong() < SPARSE_SHARE * total.getAsLong()) {
                context.warn("sparse-field", "'" + path + "' is set on only " + percent(set.getAsLong(),
                        total.getAsLong()) + " of users (" + count(set.getAsLong()) + " of " + count(total.getAsLong())
                        + ")", rule.field());
            }
            return null;
        }

        @Override
        public Void visitEvent(EventRule rule) {
            context.leaves++;
            recency(rule.eventName(), rule);
            boolean noWindow = rule.window() == null || rule.window().accept(UNBOUNDED);
            Count count = rule.effectiveCount();
            boolean admitsZero = count.op() == Count.Op.AT_MOST
                    || count.op() == Count.Op.EXACTLY && count.times() == 0;
            boolean matchesNoEvents = negated != admitsZero;
            if (noWindow && matchesNoEvents && !context.signupGuard) {
                context.warn("negative-event-without-window", "'" + phrase(rule) + "' has no time window, so new "
                        + "users match just because they have not had time to " + rule.eventName()
                        + (context.guardContradicts ? " — add a window" : " — add a window, or '" + phrase(SIGNUP_GUARD) + "'"), rule);
            }
            if (count.op() == Count.Op.AT_LEAST && count.times() == 0) {
                context.warn("tautology", "'at least 0 times' always holds — remove the rule or raise the count",
                        rule);
            }
            return null;
        }

        @Override
        public Void visitRecency(RecencyRule rule) {
            context.leaves++;
            recency(rule.eventName(), rule);
            return null;
        }

        @Override
        public Void visitList(ListRule rule) {
            context.leaves++;
            return null;
        }

        @Override
        public Void visitSubscription(SubscriptionRule rule) {
            context.leaves++;
            return null;
        }

        @Override
        public Void visitSegment(SegmentRule rule) {
            context.leaves++;
            return null;
        }

        @Override
        public Void visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
            context.leaves++;
            for (dev.segmenta.core.ast.SequenceRule.Step step : rule.steps()) {
                recency(step.eventName(), rule);
            }
            dev.segmenta.core.ast.SequenceRule.Step last = rule.last();
            if (last.negated() && last.within() == null) {
                context.warn("then-not-without-time", "'then not \"" + last.eventName() + "\"' has no time, so users "
                        + "match until they " + last.eventName() + " at any later moment, however late — add "
                        + "'within N days' (e.g. 'then not \"" + last.eventName() + "\" within 1 day')", rule);
            }
            return null;
        }

        @Override
        public Void visitBucket(dev.segmenta.core.ast.BucketRule rule) {
            context.leaves++;
            boolean all = rule.holds(0) && rule.holds(BucketRule_LAST);
            boolean none = true;
            for (int b = 0; b < dev.segmenta.core.ast.BucketRule.BUCKETS && none; b++) {
                none = !rule.holds(b);
            }
            if (none) {
                context.warn("contradiction", "'" + phrase(rule) + "' holds for no bucket (0 to 99), so no user", rule);
            } else if (all && allBuckets(rule)) {
                context.warn("tautology", "'" + phrase(rule) + "' holds for every bucket (0 to 99), so every user",
                        rule);
            }
            return null;
        }

        private static final int BucketRule_LAST = dev.segmenta.core.ast.BucketRule.BUCKETS - 1;

        private static boolean allBuckets(dev.segmenta.core.ast.BucketRule rule) {
            for (int b = 0; b < dev.segmenta.core.ast.BucketRule.BUCKETS; b++) {
                if (!rule.holds(b)) {
                    return false;
                }
            }
            return true;
        }

        private void group(Rule group, List<Rule> rules, boolean all) {
            if (depth + 1 > MAX_DEPTH && !context.reportedDepth) {
                context.reportedDepth = true;
                context.warn("too-deep", "groups are nested more than " + MAX_DEPTH + " levels deep, which is hard "
                        + "to follow — move the inner groups into saved segments and use 'in segment'", group);
            }
            for (int j = 0; j < rules.size(); j++) {
                Rule later = rules.get(j);
                for (int i = 0; i < j; i++) {
                    Rule earlier = rules.get(i);
                    if (later.equals(earlier)) {
                        context.warn("duplicate-rule", "'" + phrase(later) + "' appears twice in this group — "
                                + "remove one", later);
                        break;
                    }
                    if (later.equals(Complements.of(earlier))) {
                        if (all) {
                            context.warn("contradiction", "this group needs both '" + phrase(earlier) + "' and its "
                                    + "opposite, so it can never hold", later);
                        } else {
                            context.warn("tautology", "this group accepts both '" + phrase(earlier) + "' and its "
                                    + "opposite, so it always holds", later);
                        }
                        break;
                    }
                }
            }
            if (all) {
                contradictoryValues(rules);
            }
            Walk inner = new Walk(context, negated, depth + 1);
            rules.forEach(r -> r.accept(inner));
        }

        /** {@code x = 1 and x = 2}: conditions on one single-valued user field that no value meets together. */
        private void contradictoryValues(List<Rule> rules) {
            Map<FieldPath, ValueConstraints> byField = new LinkedHashMap<>();
            Map<FieldPath, Boolean> reported = new LinkedHashMap<>();
            for (Rule r : rules) {
                if (!(r instanceof FieldRule)) {
                    continue;
                }
                FieldRule f = (FieldRule) r;
                if (!singleValued(f.field()) || reported.containsKey(f.field())) {
                    continue;
                }
                ValueConstraints constraints = byField.computeIfAbsent(f.field(), p -> new ValueConstraints(context.now));
                if (!constraints.add(f.condition())) {
                    reported.put(f.field(), true);
                    context.warn("contradiction", "no value of '" + f.field().dotted() + "' can meet '" + phrase(f)
                            + "' together with the rules on it before, so this group can never hold", f);
                }
            }
        }

        /** A known, non-array field not below an array: equality to two values at once is impossible. */
        private boolean singleValued(FieldPath path) {
            Optional<CatalogField> field = context.schema.userField(path);
            if (field.isEmpty() || field.get().type() == FieldType.ARRAY) {
                return false;
            }
            List<String> steps = path.steps();
            for (int n = 1; n < steps.size(); n++) {
                Optional<CatalogField> prefix = context.schema.userField(new FieldPath(steps.subList(0, n)));
                if (prefix.isPresent() && prefix.get().type() == FieldType.ARRAY) {
                    return false;
                }
            }
            return true;
        }

        private void recency(String eventName, Rule rule) {
            Optional<CatalogEvent> event = context.schema.event(eventName);
            if (event.isEmpty() || event.get().lastSeen() == null) {
                context.warn("event-never-seen", "no '" + eventName + "' event has ever been received, so this rule "
                        + "tests something that does not happen (yet) — check the event name", rule);
                return;
            }
            Instant lastSeen = event.get().lastSeen();
            if (lastSeen.isBefore(context.now.minus(STALE_AFTER))) {
                long days = Duration.between(lastSeen, context.now).toDays();
                context.warn("event-stale", "'" + eventName + "' was last received " + days + " days ago (" + lastSeen
                        + ") — is it still being tracked?", rule);
            }
        }
    }

    private static String phrase(Rule rule) {
        return RulePrinter.print(rule);
    }

    private static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    private static String percent(long part, long whole) {
        double share = 100.0 * part / whole;
        if (share > 0 && share < 1) {
            return "<1%";
        }
        return Math.round(share) + "%";
    }
}
