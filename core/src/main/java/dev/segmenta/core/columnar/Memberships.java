package dev.segmenta.core.columnar;

import dev.segmenta.core.eval.UserSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Static lists and subscription state as one bitmap of ordinals per id: who is in list 7, who unsubscribed from
 * channel 3, who opted out of / into message type 11. Tombstoned ordinals stay in the bitmaps until compaction;
 * every answer is intersected with the live users.
 */
final class Memberships {
    private final Map<Long, RoaringBitmap> lists = new HashMap<>();
    private final Map<Long, RoaringBitmap> unsubscribedChannels = new HashMap<>();
    private final Map<Long, RoaringBitmap> unsubscribedMessageTypes = new HashMap<>();
    private final Map<Long, RoaringBitmap> subscribedMessageTypes = new HashMap<>();

    void add(int ordinal, UserSnapshot user) {
        add(lists, user.emailListIds(), ordinal);
        add(unsubscribedChannels, user.unsubscribedChannelIds(), ordinal);
        add(unsubscribedMessageTypes, user.unsubscribedMessageTypeIds(), ordinal);
        add(subscribedMessageTypes, user.subscribedMessageTypeIds(), ordinal);
    }

    void addToList(long listId, int ordinal) {
        lists.computeIfAbsent(listId, k -> new RoaringBitmap()).add(ordinal);
    }

    private static void add(Map<Long, RoaringBitmap> bitmaps, Set<Long> ids, int ordinal) {
        for (Long id : ids) {
            bitmaps.computeIfAbsent(id, k -> new RoaringBitmap()).add(ordinal);
        }
    }

    /** The ordinals in list {@code id} (shared: callers must not change it). */
    RoaringBitmap list(long id) {
        return lists.getOrDefault(id, EMPTY);
    }

    RoaringBitmap unsubscribedChannel(long id) {
        return unsubscribedChannels.getOrDefault(id, EMPTY);
    }

    RoaringBitmap unsubscribedMessageType(long id) {
        return unsubscribedMessageTypes.getOrDefault(id, EMPTY);
    }

    RoaringBitmap subscribedMessageType(long id) {
        return subscribedMessageTypes.getOrDefault(id, EMPTY);
    }

    private static final RoaringBitmap EMPTY = new RoaringBitmap();

    /** Copies of the four maps (lists, unsubscribed channels, opted-out and opted-in message types), for a file. */
    java.util.List<Map<Long, RoaringBitmap>> copies() {
        return java.util.List.of(copy(lists), copy(unsubscribedChannels), copy(unsubscribedMessageTypes),
                copy(subscribedMessageTypes));
    }

    /** Replaces the contents with maps in the order {@link #copies} gives them. */
    void restore(java.util.List<Map<Long, RoaringBitmap>> maps) {
        lists.putAll(maps.get(0));
        unsubscribedChannels.putAll(maps.get(1));
        unsubscribedMessageTypes.putAll(maps.get(2));
        subscribedMessageTypes.putAll(maps.get(3));
    }

    private static Map<Long, RoaringBitmap> copy(Map<Long, RoaringBitmap> bitmaps) {
        Map<Long, RoaringBitmap> copy = new HashMap<>();
        bitmaps.forEach((id, bitmap) -> copy.put(id, bitmap.clone()));
        return copy;
    }

    void remap(int[] remap) {
        remap(lists, remap);
        remap(unsubscribedChannels, remap);
        remap(unsubscribedMessageTypes, remap);
        remap(subscribedMessageTypes, remap);
    }

    private static void remap(Map<Long, RoaringBitmap> bitmaps, int[] remap) {
        bitmaps.replaceAll((id, old) -> {
            RoaringBitmap renumbered = new RoaringBitmap();
            old.forEach((int ordinal) -> {
                if (ordinal < remap.length && remap[ordinal] >= 0) {
                    renumbered.add(remap[ordinal]);
                }
            });
            renumbered.runOptimize();
            return renumbered;
        });
        bitmaps.values().removeIf(RoaringBitmap::isEmpty);
    }

    long approximateBytes() {
        long bytes = 0;
        for (Map<Long, RoaringBitmap> m : java.util.List.of(lists, unsubscribedChannels, unsubscribedMessageTypes,
                subscribedMessageTypes)) {
            for (RoaringBitmap b : m.values()) {
                bytes += b.getLongSizeInBytes() + 48;
            }
        }
        return bytes;
    }
}
