package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a rule can refer to: the field catalog of users and of each event name, the lists, channels, message
 * types and saved segments, and the statistics the linter needs (how many users there are, how many have each
 * field set, when each event was last received). Immutable; the persistence layer builds one from the catalog
 * tables with plain builder calls.
 *
 * <p>Example:
 * <pre>{@code
 * Schema schema = Schema.builder()
 *         .totalUsers(10_000)
 *         .userField("state", FieldType.STRING, 9_800)
 *         .userArrayField("items", FieldType.OBJECT)
 *         .userField("items.name", FieldType.STRING)
 *         .event("purchase", Instant.parse("2026-01-30T10:00:00Z"), 52_000)
 *         .eventField("purchase", "amount", FieldType.NUMBER)
 *         .list(new StaticList(7, "Beta testers"))
 *         .segment("Active", activeDefinition)
 *         .build();
 * }</pre>
 *
 * <p>The system fields {@code email}, {@code userId} (strings), {@code signupDate} and {@code profileUpdatedAt}
 * (dates) are always present.
 */
public final class Schema implements Directory {
    private static final Map<String, FieldType> SYSTEM_FIELD_TYPES = Map.of(
            "email", FieldType.STRING,
            "userId", FieldType.STRING,
            "signupDate", FieldType.DATE,
            "profileUpdatedAt", FieldType.DATE);

    private final Map<String, CatalogField> userFields;
    private final Map<String, Long> usersWithField;
    private final Long totalUsers;
    private final Map<String, CatalogEvent> events;
    private final Map<String, StaticList> lists;
    private final Map<String, Channel> channels;
    private final Map<String, MessageType> messageTypes;
    private final Map<String, Rule> segments;

    private Schema(Builder b) {
        Map<String, CatalogField> fields = new LinkedHashMap<>(b.userFields);
        SYSTEM_FIELD_TYPES.forEach((name, type) -> fields.put(name, new CatalogField(name, type, null)));
        this.userFields = Map.copyOf(fields);
        Map<String, Long> fill = new HashMap<>(b.usersWithField);
        if (b.totalUsers != null) {
            // Every user has a signup date and a profile update time, even when a data field of that name was once seen
            // (ingestion moves dataFields.signupDate into the column, so a count of the data field would say 0).
            fill.put("signupDate", b.totalUsers);
            fill.put("profileUpdatedAt", b.totalUsers);
        }
        this.usersWithField = Map.copyOf(fill);
        this.totalUsers = b.totalUsers;
        Map<String, CatalogEvent> built = new HashMap<>();
        b.events.forEach((name, e) -> built.put(name, new CatalogEvent(name, e.fields, e.lastSeen, e.volume)));
        this.events = Map.copyOf(built);
        this.lists = Map.copyOf(b.lists);
        this.channels = Map.copyOf(b.channels);
        this.messageTypes = Map.copyOf(b.messageTypes);
        this.segments = Map.copyOf(b.segments);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The user field at this path (system fields included), matched exactly on its dotted form. */
    public Optional<CatalogField> userField(FieldPath path) {
        return Optional.ofNullable(userFields.get(path.dotted()));
    }

    /** Every user field path, system fields included. */
    public Set<String> userFieldPaths() {
        return userFields.keySet();
    }

    /** How many users have this field set; empty when the statistics are not known. */
    public OptionalLong usersWithField(FieldPath path) {
        Long n = usersWithField.get(path.dotted());
        return n == null ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** How many users there are; empty when not known. */
    public OptionalLong totalUsers() {
        return totalUsers == null ? OptionalLong.empty() : OptionalLong.of(totalUsers);
    }

    public Optional<CatalogEvent> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    public Set<String> eventNames() {
        return events.keySet();
    }

    @Override
    public Optional<StaticList> list(String name) {
        return Optional.ofNullable(lists.get(name));
    }

    public Set<String> listNames() {
        return lists.keySet();
    }

    @Override
    public Optional<Channel> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    public Set<String> channelNames() {
        return channels.keySet();
    }

    /** Every channel, in id order (the order reach per channel is reported in). */
    public List<Channel> channels() {
        return channels.values().stream().sorted(java.util.Comparator.comparingLong(Channel::id)).toList();
    }

    @Override
    public Optional<MessageType> messageType(String name) {
        return Optional.ofNullable(messageTypes.get(name));
    }

    public Set<String> messageTypeNames() {
        return messageTypes.keySet();
    }

    @Override
    public Optional<Rule> segment(String name) {
        return Optional.ofNullable(segments.get(name));
    }

    public Set<String> segmentNames() {
        return segments.keySet();
    }

    /** Collects the catalog; later calls for the same name replace earlier ones. Not thread-safe. */
    public static final class Builder {
        private final Map<String, CatalogField> userFields = new LinkedHashMap<>();
        private final Map<String, Long> usersWithField = new HashMap<>();
        private Long totalUsers;
        private final Map<String, EventDraft> events = new HashMap<>();
        private final Map<String, StaticList> lists = new HashMap<>();
        private final Map<String, Channel> channels = new HashMap<>();
        private final Map<String, MessageType> messageTypes = new HashMap<>();
        private final Map<String, Rule> segments = new HashMap<>();

        private Builder() {}

        /** A user field at a dotted path, e.g. {@code address.city}. */
        public Builder userField(String path, FieldType type) {
            userFields.put(requireNonNull(path, "path is null"), new CatalogField(path, type, null));
            return this;
        }

        /** A user field and how many users have it set. */
        public Builder userField(String path, FieldType type, long usersWithValue) {
            userField(path, type);
            return fillCount(path, usersWithValue);
        }

        /** A user array field whose elements have {@code elementType} ({@code null} when unknown). */
        public Builder userArrayField(String path, FieldType elementType) {
            userFields.put(requireNonNull(path, "path is null"), new CatalogField(path, FieldType.ARRAY, elementType));
            return this;
        }

        /** How many users have the field at {@code path} set (system fields included). */
        public Builder fillCount(String path, long usersWithValue) {
            usersWithField.put(requireNonNull(path, "path is null"), requireNonNegative(usersWithValue));
            return this;
        }

        public Builder totalUsers(long totalUsers) {
            this.totalUsers = requireNonNegative(totalUsers);
            return this;
        }

        /** An event name, when it was last received ({@code null}: never) and how many are stored. */
        public Builder event(String name, Instant lastSeen, long volume) {
            EventDraft draft = draft(name);
            draft.lastSeen = lastSeen;
            draft.volume = requireNonNegative(volume);
            return this;
        }

        /** A path of an event's {@code dataFields}; adds the event name when it is new. */
        public Builder eventField(String eventName, String path, FieldType type) {
            draft(eventName).fields.put(requireNonNull(path, "path is null"), new CatalogField(path, type, null));
            return this;
        }

        public Builder eventArrayField(String eventName, String path, FieldType elementType) {
            draft(eventName).fields.put(requireNonNull(path, "path is null"),
                    new CatalogField(path, FieldType.ARRAY, elementType));
            return this;
        }

        public Builder list(StaticList list) {
            lists.put(list.name(), list);
            return this;
        }

        public Builder channel(Channel channel) {
            channels.put(channel.name(), channel);
            return this;
        }

        public Builder messageType(MessageType messageType) {
            messageTypes.put(messageType.name(), messageType);
            return this;
        }

        /** A saved segment and its current definition. */
        public Builder segment(String name, Rule definition) {
            segments.put(requireNonNull(name, "name is null"), requireNonNull(definition, "definition is null"));
            return this;
        }

        public Schema build() {
            return new Schema(this);
        }

        private EventDraft draft(String name) {
            return events.computeIfAbsent(requireNonNull(name, "event name is null"), n -> new EventDraft());
        }

        private static long requireNonNegative(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a count cannot be negative: " + n);
            }
            return n;
        }
    }

    private static final class EventDraft {
        private final Map<String, CatalogField> fields = new LinkedHashMap<>();
        private Instant lastSeen;
        private long volume;
    }
}
