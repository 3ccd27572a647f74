package dev.segmenta.core.columnar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Object keys of packed values as small integers, shared by profiles and event data: keys repeat on every user
 * and event, so each is stored once. Written under the index's write lock only.
 */
final class KeyDictionary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> keys = new ArrayList<>();

    int idOf(String key) {
        Integer id = ids.get(key);
        if (id == null) {
            id = keys.size();
            ids.put(key, id);
            keys.add(key);
        }
        return id;
    }

    /** The id of a key seen before, or -1: a path step with an unseen key reaches nothing. */
    int find(String key) {
        Integer id = ids.get(key);
        return id == null ? -1 : id;
    }

    String key(int id) {
        return keys.get(id);
    }

    int size() {
        return keys.size();
    }
}
