package dev.segmenta.core.eval;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the evaluator knows about one user, as of one moment.
 *
 * <p>{@code profile} is JSON-like: the system fields {@code email}, {@code userId}, {@code signupDate} and
 * {@code profileUpdatedAt} (the dates as {@link java.time.Instant}s) at the top level next to the keys of the
 * user's {@code dataFields}. Values are {@code String}, {@code Number} ({@code BigDecimal}, {@code Long},
 * {@code Integer}, {@code Double}, ...), {@code Boolean}, {@code List}, {@code Map}, an {@code Instant}, or
 * {@code null}. Example:
 *
 * <pre>{@code
 * new UserSnapshot(
 *     Map.of("email", "ana@example.com", "signupDate", Instant.parse("2026-01-02T09:00:00Z"), "plan", "pro"),
 *     List.of(EventRecord.of("login", Instant.parse("2026-02-27T08:00:00Z"))),
 *     Set.of(7L),           // in static list 7
 *     Set.of(), Set.of(3L), Set.of(11L));
 * }</pre>
 *
 * <p>{@code emailListIds} are the static lists the user belongs to; the other three sets are Iterable's
 * subscription state. The collections are copied; the profile map may contain {@code null} values.
 */
public record UserSnapshot(
        Map<String, Object> profile,
        List<EventRecord> events,
        Set<Long> emailListIds,
        Set<Long> unsubscribedChannelIds,
        Set<Long> unsubscribedMessageTypeIds,
        Set<Long> subscribedMessageTypeIds) {

    public UserSnapshot {
        profile = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(profile, "profile is null")));
        events = List.copyOf(requireNonNull(events, "events is null"));
        emailListIds = Set.copyOf(requireNonNull(emailListIds, "emailListIds is null"));
        unsubscribedChannelIds = Set.copyOf(requireNonNull(unsubscribedChannelIds, "unsubscribedChannelIds is null"));
        unsubscribedMessageTypeIds =
                Set.copyOf(requireNonNull(unsubscribedMessageTypeIds, "unsubscribedMessageTypeIds is null"));
        subscribedMessageTypeIds =
                Set.copyOf(requireNonNull(subscribedMessageTypeIds, "subscribedMessageTypeIds is null"));
    }

    /** A user with this profile, no events, no lists and no subscription preferences. */
    public static UserSnapshot ofProfile(Map<String, Object> profile) {
        return new UserSnapshot(profile, List.of(), Set.of(), Set.of(), Set.of(), Set.of());
    }

    public UserSnapshot withEvents(List<EventRecord> newEvents) {
        return new UserSnapshot(profile, newEvents, emailListIds, unsubscribedChannelIds, unsubscribedMessageTypeIds,
                subscribedMessageTypeIds);
    }

    public UserSnapshot withEmailListIds(Set<Long> listIds) {
        return new UserSnapshot(profile, events, listIds, unsubscribedChannelIds, unsubscribedMessageTypeIds,
                subscribedMessageTypeIds);
    }

    public UserSnapshot withSubscriptions(Set<Long> unsubscribedChannels, Set<Long> unsubscribedMessageTypes,
            Set<Long> subscribedMessageTypes) {
        return new UserSnapshot(profile, events, emailListIds, unsubscribedChannels, unsubscribedMessageTypes,
                subscribedMessageTypes);
    }
}
