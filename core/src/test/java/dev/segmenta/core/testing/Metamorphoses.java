package dev.segmenta.core.testing;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Transformations of data and rules that must not change who matches (metamorphic relations): they let a
 * property fail without knowing the right answer. Each data transformation works on a {@link RandomData.DataSet},
 * so the in-memory evaluator (through snapshots) and a store (replaying the changes) see the same data.
 */
public final class Metamorphoses {
    /** Far before every window's lower bound that {@link RandomRules} writes (its literals are 2025-2026). */
    public static final Instant ANCIENT = Instant.parse("1990-06-15T12:00:00Z");

    private static final Pattern DATE_LIKE = Pattern.compile("\\d{4}-\\d{1,2}.*|\\d{8}");

    private Metamorphoses() {}

    // ---- data ----

    /**
     * Text values that look like dates become {@code "not a date"}, everywhere: with them gone, every time a rule
     * can see is an instant, and shifting those shifts everything.
     */
    public static RandomData.DataSet withoutDateStrings(RandomData.DataSet data) {
        return map(data, Metamorphoses::dedate, t -> t, n -> n);
    }

    /** Every instant moved by {@code days} whole days (the rule and {@code now} must move with it). */
    public static RandomData.DataSet shifted(RandomData.DataSet data, long days) {
        Duration by = Duration.ofDays(days);
        return map(data, v -> v, t -> t.plus(by), n -> n);
    }

    /** Event {@code from} renamed {@code to} in every event. */
    public static RandomData.DataSet renamed(RandomData.DataSet data, String from, String to) {
        return map(data, v -> v, t -> t, n -> n.equals(from) ? to : n);
    }

    /** One event of every name, at {@link #ANCIENT} with no fields, for every user, before the other changes. */
    public static RandomData.DataSet withAncientEvents(RandomData.DataSet data) {
        List<RandomData.Change> changes = new ArrayList<>();
        for (int u = 0; u < data.users().size(); u++) {
            for (String name : RandomData.EVENT_NAMES) {
                changes.add(new RandomData.Track(u, null, name, ANCIENT, Map.of()));
            }
        }
        int added = changes.size();
        changes.addAll(data.changes());
        return new RandomData.DataSet(data.users(), changes, data.firstPhase() + added);
    }

    private static RandomData.DataSet map(RandomData.DataSet data, java.util.function.UnaryOperator<Object> value,
            java.util.function.UnaryOperator<Instant> time, java.util.function.UnaryOperator<String> eventName) {
        List<RandomData.User> users = data.users().stream().map(u -> new RandomData.User(u.email(), identity(u.userId(), value),
                fields(u.dataFields(), value), time.apply(u.signupDate()), time.apply(u.profileUpdatedAt()), u.lists(),
                u.unsubscribedChannels(), u.unsubscribedTypes(), u.subscribedTypes())).collect(Collectors.toList());
        List<RandomData.Change> changes = new ArrayList<>();
        for (RandomData.Change c : data.changes()) {
            if (c instanceof RandomData.Track t) {
                changes.add(new RandomData.Track(t.user(), t.id(), eventName.apply(t.name()), time.apply(t.createdAt()),
                        fields(t.dataFields(), value)));
            } else if (c instanceof RandomData.MergeProfile m) {
                changes.add(new RandomData.MergeProfile(m.user(), fields(m.dataFields(), value),
                        time.apply(m.updatedAt())));
            } else {
                changes.add(c);
            }
        }
        return new RandomData.DataSet(users, changes, data.firstPhase());
    }

    private static Map<String, Object> fields(Map<String, Object> fields, java.util.function.UnaryOperator<Object> value) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, value.apply(v)));
        return out;
    }

    /**
     * A user id the value mapping would change (a date-like id, which a date literal can be compared with) gets a
     * still-unique text that the mapping leaves alone; other ids stay.
     */
    private static String identity(String userId, java.util.function.UnaryOperator<Object> value) {
        return userId == null || userId.equals(value.apply(userId)) ? userId : "not a date " + userId;
    }

    private static Object dedate(Object value) {
        if (value instanceof String s) {
            return DATE_LIKE.matcher(s).matches() ? "not a date" : s;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(e -> out.add(dedate(e)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, dedate(v)));
            return out;
        }
        return value;
    }

    // ---- rules ----

    /** Every date literal moved by {@code days} whole days (exact in UTC, where a day is always 24 hours). */
    public static Rule shifted(Rule rule, long days) {
        return rule.accept(new Rewrite(days, null, null));
    }

    /** Event {@code from} renamed {@code to} in every event and first/last rule. */
    public static Rule renamed(Rule rule, String from, String to) {
        return rule.accept(new Rewrite(0, from, to));
    }

    /**
     * Whether an event at {@link #ANCIENT} is outside everything the rule looks at: every event rule has a window
     * with a lower bound after it ({@code within last}, {@code after}, {@code between}), and no first/last rule
     * (an old event changes the first time), also in the segments it refers to.
     */
    public static boolean ignoresAncientEvents(Rule rule) {
        return rule.accept(new RuleVisitor<Boolean>() {
            @Override
            public Boolean visitAnd(And r) {
                return r.rules().stream().allMatch(c -> c.accept(this));
            }

            @Override
            public Boolean visitOr(Or r) {
                return r.rules().stream().allMatch(c -> c.accept(this));
            }

            @Override
            public Boolean visitNot(Not r) {
                return r.rule().accept(this);
            }

            @Override
            public Boolean visitField(FieldRule r) {
                return true;
            }

            @Override
            public Boolean visitEvent(EventRule r) {
                return r.effectiveWindow().accept(BOUNDED_BELOW);
            }

            @Override
            public Boolean visitRecency(RecencyRule r) {
                return false;
            }

            @Override
            public Boolean visitList(ListRule r) {
                return true;
            }

            @Override
            public Boolean visitSubscription(SubscriptionRule r) {
                return true;
            }

            @Override
            public Boolean visitSegment(SegmentRule r) {
                Rule definition = RandomRules.SEGMENTS.get(r.segmentName());
                return definition == null || definition.accept(this);
            }

            /**
             * Positive steps lie in the window; an old event of a then-not step could only matter after an earlier
             * positive step, which the window's lower bound rules out.
             */
            @Override
            public Boolean visitSequence(SequenceRule r) {
                return r.effectiveWindow().accept(BOUNDED_BELOW);
            }

            @Override
            public Boolean visitBucket(BucketRule r) {
                return true;
            }
        });
    }

    /**
     * Whether the rule has an anniversary condition: one moves with the calendar (29 February, year ends), so
     * shifting every instant and {@code now} by whole days may change it.
     */
    public static boolean usesAnniversaries(Rule rule) {
        return dev.segmenta.core.text.RulePrinter.print(rule).contains(" anniversary ");
    }

    /** Whether the rule names a segment (whose definition a rule rewrite would not reach). */
    public static boolean refersToSegments(Rule rule) {
        return new Object() {
            boolean any(Rule r) {
                if (r instanceof SegmentRule) {
                    return true;
                }
                if (r instanceof And a) {
                    return a.rules().stream().anyMatch(this::any);
                }
                if (r instanceof Or o) {
                    return o.rules().stream().anyMatch(this::any);
                }
                return r instanceof Not n && any(n.rule());
            }
        }.any(rule);
    }

    /** A window with a lower bound: every form but {@code ever} and {@code before}. */
    private static final Window.Visitor<Boolean> BOUNDED_BELOW = new Window.Visitor<>() {
        @Override
        public Boolean ever(Window.Ever window) {
            return false;
        }

        @Override
        public Boolean during(Window.During window) {
            return window.condition().accept(new DateCondition.Visitor<Boolean>() {
                @Override
                public Boolean before(DateCondition.Before c) {
                    return false;
                }

                @Override
                public Boolean after(DateCondition.After c) {
                    return true;
                }

                @Override
                public Boolean on(DateCondition.On c) {
                    return true;
                }

                @Override
                public Boolean between(DateCondition.Between c) {
                    return true;
                }

                @Override
                public Boolean withinLast(DateCondition.WithinLast c) {
                    return true;
                }

                @Override
                public Boolean moreThanAgo(DateCondition.MoreThanAgo c) {
                    return false;
                }

                @Override
                public Boolean withinNext(DateCondition.WithinNext c) {
                    return true;
                }
            });
        }
    };

    private static final class Rewrite implements RuleVisitor<Rule> {
        private final long days;
        private final String from;
        private final String to;

        Rewrite(long days, String from, String to) {
            this.days = days;
            this.from = from;
            this.to = to;
        }

        private String name(String n) {
            return n.equals(from) ? to : n;
        }

        @Override
        public Rule visitAnd(And r) {
            return new And(r.rules().stream().map(c -> c.accept(this)).collect(Collectors.toList()));
        }

        @Override
        public Rule visitOr(Or r) {
            return new Or(r.rules().stream().map(c -> c.accept(this)).collect(Collectors.toList()));
        }

        @Override
        public Rule visitNot(Not r) {
            return new Not(r.rule().accept(this));
        }

        @Override
        public Rule visitField(FieldRule r) {
            return field(r);
        }

        private FieldRule field(FieldRule r) {
            return new FieldRule(r.field(), condition(r.condition()));
        }

        @Override
        public Rule visitEvent(EventRule r) {
            Window window = window(r.window());
            return new EventRule(name(r.eventName()), r.where().stream().map(this::field).collect(Collectors.toList()),
                    r.count(), window, r.aggregate());
        }

        @Override
        public Rule visitRecency(RecencyRule r) {
            return new RecencyRule(r.which(), name(r.eventName()),
                    r.where().stream().map(this::field).collect(Collectors.toList()), date(r.condition()));
        }

        @Override
        public Rule visitList(ListRule r) {
            return r;
        }

        @Override
        public Rule visitSubscription(SubscriptionRule r) {
            return r;
        }

        @Override
        public Rule visitSegment(SegmentRule r) {
            return r;
        }

        @Override
        public Rule visitSequence(SequenceRule r) {
            Window window = window(r.window());
            return new SequenceRule(r.steps().stream()
                    .map(step -> new SequenceRule.Step(name(step.eventName()),
                            step.where().stream().map(this::field).collect(Collectors.toList()), step.negated(),
                            step.within()))
                    .collect(Collectors.toList()), window);
        }

        @Override
        public Rule visitBucket(BucketRule r) {
            return r;
        }

        private FieldCondition condition(FieldCondition c) {
            return c.accept(conditions);
        }

        private Value value(Value v) {
            return v.accept(values);
        }

        private DateCondition date(DateCondition c) {
            return c.accept(dates);
        }

        private TimeLiteral time(TimeLiteral t) {
            return t.accept(times);
        }

        private Window window(Window w) {
            return w == null ? null : w.accept(windows);
        }

        /** Every literal moves by {@code days}; a new kind of condition must say how it moves. */
        private final FieldCondition.Visitor<FieldCondition> conditions = new FieldCondition.Visitor<>() {
            @Override
            public FieldCondition compare(FieldCondition.Compare cmp) {
                return new FieldCondition.Compare(cmp.op(), value(cmp.value()));
            }

            @Override
            public FieldCondition between(FieldCondition.Between b) {
                return new FieldCondition.Between(value(b.low()), value(b.high()));
            }

            @Override
            public FieldCondition in(FieldCondition.In in) {
                return new FieldCondition.In(in.negated(),
                        in.values().stream().map(Rewrite.this::value).collect(Collectors.toList()));
            }

            @Override
            public FieldCondition contains(FieldCondition.Contains con) {
                return new FieldCondition.Contains(con.negated(), value(con.value()));
            }

            @Override
            public FieldCondition containsSet(FieldCondition.ContainsSet set) {
                return new FieldCondition.ContainsSet(set.quantifier(),
                        set.values().stream().map(Rewrite.this::value).collect(Collectors.toList()));
            }

            @Override
            public FieldCondition affix(FieldCondition.Affix affix) {
                return affix;
            }

            @Override
            public FieldCondition isSet(FieldCondition.IsSet isSet) {
                return isSet;
            }

            @Override
            public FieldCondition isBool(FieldCondition.IsBool isBool) {
                return isBool;
            }

            @Override
            public FieldCondition date(DateCondition d) {
                return Rewrite.this.date(d);
            }

            @Override
            public FieldCondition anniversary(Anniversary a) {
                return a; // relative to now: moves with now
            }
        };

        private final Value.Visitor<Value> values = new Value.Visitor<>() {
            @Override
            public Value text(Value.Text v) {
                return v;
            }

            @Override
            public Value number(Value.Number v) {
                return v;
            }

            @Override
            public Value bool(Value.Bool v) {
                return v;
            }

            @Override
            public Value date(Value.Date d) {
                return new Value.Date(time(d.value()));
            }
        };

        private final DateCondition.Visitor<DateCondition> dates = new DateCondition.Visitor<>() {
            @Override
            public DateCondition before(DateCondition.Before b) {
                return new DateCondition.Before(time(b.time()));
            }

            @Override
            public DateCondition after(DateCondition.After a) {
                return new DateCondition.After(time(a.time()));
            }

            @Override
            public DateCondition on(DateCondition.On on) {
                return new DateCondition.On(new TimeLiteral.Day(on.day().date().plusDays(days)));
            }

            @Override
            public DateCondition between(DateCondition.Between b) {
                return new DateCondition.Between(time(b.from()), time(b.to()));
            }

            // Relative to now: they move with now.
            @Override
            public DateCondition withinLast(DateCondition.WithinLast c) {
                return c;
            }

            @Override
            public DateCondition moreThanAgo(DateCondition.MoreThanAgo c) {
                return c;
            }

            @Override
            public DateCondition withinNext(DateCondition.WithinNext c) {
                return c;
            }
        };

        private final TimeLiteral.Visitor<TimeLiteral> times = new TimeLiteral.Visitor<>() {
            @Override
            public TimeLiteral day(TimeLiteral.Day d) {
                return new TimeLiteral.Day(d.date().plusDays(days));
            }

            @Override
            public TimeLiteral moment(TimeLiteral.Moment m) {
                return new TimeLiteral.Moment(m.dateTime().plusDays(days));
            }
        };

        private final Window.Visitor<Window> windows = new Window.Visitor<>() {
            @Override
            public Window ever(Window.Ever w) {
                return w;
            }

            @Override
            public Window during(Window.During d) {
                return new Window.During(date(d.condition()));
            }
        };
    }
}
