package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
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
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.SourceMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Checks a rule against a {@link Schema} before it is saved or evaluated (DESIGN.md §3 "Checking"): unknown user
 * fields, event fields, lists, channels, message types and segments, operators that do not fit the field's type,
 * literals of the wrong type, and aggregates over non-number fields are errors; an unknown event name is a
 * warning. Immutable and thread-safe.
 *
 * <p>Example: against a schema with a string field {@code state},
 * {@code new Checker(schema).check(parse("sate = \"CA\""), sourceMap)} gives
 * {@code ERROR unknown-field 1:1 unknown field 'sate' — did you mean 'state'?}.
 */
public final class Checker {
    private final Schema schema;

    public Checker(Schema schema) {
        this.schema = requireNonNull(schema, "schema is null");
    }

    /** The diagnostics of a rule that has no text (e.g. it came as JSON): positions are unknown. */
    public List<Diagnostic> check(Rule rule) {
        return check(rule, SourceMap.EMPTY);
    }

    /** Errors and warnings of {@code rule}, in text order, positioned through {@code positions}. */
    public List<Diagnostic> check(Rule rule, SourceMap positions) {
        Walk walk = new Walk(schema, requireNonNull(positions, "positions is null"));
        requireNonNull(rule, "rule is null").accept(walk);
        return List.copyOf(walk.diagnostics);
    }

    /**
     * {@link #check(Rule, SourceMap)} for the definition of the segment being saved under {@code segmentName},
     * plus a {@code segment-cycle} error when it would refer to itself through {@code in segment} rules.
     *
     * <p>Example: saving {@code A} as {@code in segment "B"} while {@code B} is {@code in segment "A"} gives
     * {@code ERROR segment-cycle segment 'A' would refer to itself: A → B → A}.
     */
    public List<Diagnostic> checkSegment(String segmentName, Rule definition, SourceMap positions) {
        List<Diagnostic> out = new ArrayList<>(check(definition, positions));
        SegmentCycles.find(segmentName, definition, schema).ifPresent(cycle -> {
            SegmentRule first = SegmentCycles.references(definition).stream()
                    .filter(ref -> ref.segmentName().equals(cycle.get(1)))
                    .findFirst()
                    .orElse(null);
            Position at = first == null ? positions.positionOf(definition) : positions.positionOf(first);
            out.add(Diagnostic.error("segment-cycle",
                    "segment '" + segmentName + "' would refer to itself: " + String.join(" → ", cycle), at));
        });
        return List.copyOf(out);
    }

    /**
     * The cycle that saving {@code definition} as segment {@code segmentName} would create, as the segment names
     * along it with the first repeated at the end ({@code [A, B, A]}); empty when there is none.
     */
    public Optional<List<String>> findCycle(String segmentName, Rule definition) {
        return SegmentCycles.find(segmentName, definition, schema);
    }

    /** One walk over one rule; collects diagnostics in text order. */
    private static final class Walk implements RuleVisitor<Void> {
        private final Schema schema;
        private final SourceMap positions;
        private final List<Diagnostic> diagnostics = new ArrayList<>();

        Walk(Schema schema, SourceMap positions) {
            this.schema = schema;
            this.positions = positions;
        }

        @Override
        public Void visitAnd(And rule) {
            rule.rules().forEach(r -> r.accept(this));
            return null;
        }

        @Override
        public Void visitOr(Or rule) {
            rule.rules().forEach(r -> r.accept(this));
            return null;
        }

        @Override
        public Void visitNot(Not rule) {
            return rule.rule().accept(this);
        }

        @Override
        public Void visitField(FieldRule rule) {
            String path = rule.field().dotted();
            Optional<CatalogField> field = schema.userField(rule.field());
            if (field.isEmpty()) {
                error("unknown-field", "unknown field '" + path + "'" + NearestName.suggestion(path,
                        schema.userFieldPaths()), rule.field(), rule);
                return null;
            }
            new Conditions(rule, field.get(), schema.userFieldPaths()).check();
            return null;
        }

        @Override
        public Void visitEvent(EventRule rule) {
            Optional<CatalogEvent> event = checkEventName(rule.eventName(), rule);
            event.ifPresent(e -> {
                checkWhere(e, rule.where());
                if (rule.aggregate() != null) {
                    checkAggregate(e, rule.aggregate(), rule);
                }
            });
            return null;
        }

        @Override
        public Void visitRecency(RecencyRule rule) {
            checkEventName(rule.eventName(), rule).ifPresent(e -> checkWhere(e, rule.where()));
            return null;
        }

        @Override
        public Void visitList(ListRule rule) {
            if (schema.list(rule.listName()).isEmpty()) {
                unknownName("unknown-list", "list", rule.listName(), schema.listNames(), rule);
            }
            return null;
        }

        @Override
        public Void visitSubscription(SubscriptionRule rule) {
            if (rule.target() == SubscriptionRule.Target.CHANNEL) {
                if (schema.channel(rule.name()).isEmpty()) {
                    unknownName("unknown-channel", "channel", rule.name(), schema.channelNames(), rule);
                }
            } else if (schema.messageType(rule.name()).isEmpty()) {
                unknownName("unknown-message-type", "message type", rule.name(), schema.messageTypeNames(), rule);
            }
            return null;
        }

        @Override
        public Void visitSegment(SegmentRule rule) {
            if (schema.segment(rule.segmentName()).isEmpty()) {
                unknownName("unknown-segment", "segment", rule.segmentName(), schema.segmentNames(), rule);
            }
            return null;
        }

        @Override
        public Void visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
            for (dev.segmenta.core.ast.SequenceRule.Step step : rule.steps()) {
                Object at = positions.positionOf(step).isKnown() ? step : rule;
                checkEventName(step.eventName(), at).ifPresent(e -> checkWhere(e, step.where()));
            }
            return null;
        }

        @Override
        public Void visitBucket(dev.segmenta.core.ast.BucketRule rule) {
            return null;
        }

        private Optional<CatalogEvent> checkEventName(String name, Object rule) {
            Optional<CatalogEvent> event = schema.event(name);
            if (event.isEmpty()) {
                diagnostics.add(Diagnostic.warning("unknown-event", "no event named '" + name
                        + "' has been received yet" + NearestName.suggestion(name, schema.eventNames()),
                        positions.positionOf(rule)));
            }
            return event;
        }

        private void checkWhere(CatalogEvent event, List<FieldRule> where) {
            for (FieldRule condition : where) {
                String path = condition.field().dotted();
                Optional<CatalogField> field = event.field(path);
                if (field.isEmpty()) {
                    error("unknown-event-field", "event '" + event.name() + "' has no field '" + path + "'"
                            + NearestName.suggestion(path, event.fields().keySet()), condition.field(), condition);
                } else {
                    new Conditions(condition, field.get(), event.fields().keySet()).check();
                }
            }
        }

        private void checkAggregate(CatalogEvent event, Aggregate aggregate, EventRule rule) {
            String path = aggregate.field().dotted();
            Optional<CatalogField> field = event.field(path);
            if (field.isEmpty()) {
                error("unknown-event-field", "event '" + event.name() + "' has no field '" + path + "'"
                        + NearestName.suggestion(path, event.fields().keySet()), aggregate.field(), aggregate, rule);
            } else if (field.get().valueType() != FieldType.NUMBER) {
                error("aggregate-not-number", aggregate.function().keyword() + "(" + path
                        + ") needs a number field, but '" + path + "' of '" + event.name() + "' is "
                        + typeDescription(field.get()), aggregate.field(), aggregate, rule);
            }
        }

        private void unknownName(String code, String kind, String name, Collection<String> known, Rule rule) {
            error(code, "unknown " + kind + " '" + name + "'" + NearestName.suggestion(name, known), rule);
        }

        /** An error at the first of {@code nodes} that has a known position. */
        private void error(String code, String message, Object... nodes) {
            diagnostics.add(Diagnostic.error(code, message, firstKnown(nodes)));
        }

        private Position firstKnown(Object... nodes) {
            for (Object node : nodes) {
                Position p = positions.positionOf(node);
                if (p.isKnown()) {
                    return p;
                }
            }
            return Position.UNKNOWN;
        }

        /**
         * Whether one field condition fits the type of its field. Every kind but {@code is set} first refuses a
         * field that holds objects.
         */
        private final class Conditions implements FieldCondition.Visitor<Void> {
            private final FieldRule rule;
            private final CatalogField field;
            private final Collection<String> siblings;
            private final String name;
            private final FieldType type;

            Conditions(FieldRule rule, CatalogField field, Collection<String> siblings) {
                this.rule = rule;
                this.field = field;
                this.siblings = siblings;
                this.name = "'" + rule.field().dotted() + "'";
                this.type = field.valueType();
            }

            void check() {
                rule.condition().accept(this);
            }

            @Override
            public Void isSet(FieldCondition.IsSet c) {
                return null;
            }

            @Override
            public Void compare(FieldCondition.Compare compare) {
                if (onObjects()) {
                    return null;
                }
                if (compare.op() == CompareOp.EQ || compare.op() == CompareOp.NE) {
                    literal(compare.value(), type);
                } else if (require(type, FieldType.NUMBER, "a number field",
                        type == FieldType.DATE ? " — use 'before' or 'after'" : "")) {
                    literal(compare.value(), type);
                }
                return null;
            }

            @Override
            public Void between(FieldCondition.Between between) {
                if (onObjects()) {
                    return null;
                }
                if (type != null && type != FieldType.NUMBER && type != FieldType.DATE) {
                    badOperator("'between' needs a number or date field, but " + name + " is "
                            + typeDescription(field));
                } else {
                    literal(between.low(), type);
                    literal(between.high(), type);
                }
                return null;
            }

            @Override
            public Void in(FieldCondition.In in) {
                if (!onObjects()) {
                    in.values().forEach(v -> literal(v, type));
                }
                return null;
            }

            @Override
            public Void contains(FieldCondition.Contains contains) {
                if (!onObjects() && containable()) {
                    literal(contains.value(), type);
                }
                return null;
            }

            @Override
            public Void containsSet(FieldCondition.ContainsSet set) {
                if (!onObjects() && containable()) {
                    set.values().forEach(v -> literal(v, type));
                }
                return null;
            }

            @Override
            public Void affix(FieldCondition.Affix affix) {
                if (!onObjects()) {
                    require(type, FieldType.STRING, "a text field", "");
                }
                return null;
            }

            @Override
            public Void isBool(FieldCondition.IsBool isBool) {
                if (!onObjects()) {
                    require(type, FieldType.BOOLEAN, "a boolean field", "");
                }
                return null;
            }

            @Override
            public Void date(DateCondition date) {
                if (!onObjects()) {
                    require(type, FieldType.DATE, "a date field", "");
                }
                return null;
            }

            @Override
            public Void anniversary(Anniversary anniversary) {
                if (!onObjects()) {
                    require(type, FieldType.DATE, "a date field", "");
                }
                return null;
            }

            /** A field of objects takes no operator but {@code is set}: reported, and true. */
            private boolean onObjects() {
                if (type != FieldType.OBJECT) {
                    return false;
                }
                badOperator(name + " holds objects, so '" + Operators.name(rule.condition())
                        + "' cannot apply to it; compare one of its fields" + exampleChild());
                return true;
            }

            /** {@code contains} is a substring test on text and element equality on arrays. */
            private boolean containable() {
                if (field.type() == FieldType.ARRAY || field.valueType() == FieldType.STRING) {
                    return true;
                }
                badOperator("'" + Operators.name(rule.condition()) + "' needs a text or array field, but " + name
                        + " is " + typeDescription(field));
                return false;
            }

            private boolean require(FieldType actual, FieldType wanted, String what, String hint) {
                if (actual == null || actual == wanted) {
                    return true;
                }
                badOperator("'" + Operators.name(rule.condition()) + "' needs " + what + ", but " + name + " is "
                        + typeDescription(field) + hint);
                return false;
            }

            private void badOperator(String message) {
                error("bad-operator", message, rule.condition(), rule);
            }

            private void literal(Value value, FieldType type) {
                if (type == null || fits(value, type)) {
                    return;
                }
                error("bad-literal", name + " is " + typeDescription(field) + ", but " + Literals.text(value)
                        + " is " + Literals.kind(value) + Literals.hint(value, type), value, rule.condition(), rule);
            }

            private String exampleChild() {
                String prefix = rule.field().dotted() + ".";
                return siblings.stream().filter(p -> p.startsWith(prefix)).sorted().findFirst()
                        .map(p -> ", e.g. '" + p + "'").orElse("");
            }
        }

        private static boolean fits(Value value, FieldType type) {
            return value.accept(TYPE_OF) == type;
        }

        /** The field type a literal fits; arrays and objects take no literal. */
        private static final Value.Visitor<FieldType> TYPE_OF = new Value.Visitor<>() {
            @Override
            public FieldType text(Value.Text value) {
                return FieldType.STRING;
            }

            @Override
            public FieldType number(Value.Number value) {
                return FieldType.NUMBER;
            }

            @Override
            public FieldType bool(Value.Bool value) {
                return FieldType.BOOLEAN;
            }

            @Override
            public FieldType date(Value.Date value) {
                return FieldType.DATE;
            }
        };
    }

    static String typeDescription(CatalogField field) {
        if (field.type() == FieldType.ARRAY && field.elementType() != null) {
            return "an array of " + plural(field.elementType());
        }
        return field.type().withArticle();
    }

    private static String plural(FieldType type) {
        return type == FieldType.BOOLEAN ? "booleans" : type.label() + "s";
    }
}
