package dev.segmenta.core.model;

import static java.util.Objects.requireNonNull;

/** A static list (Iterable "Standard" list). List and segment ids share one id space. */
public record StaticList(long id, String name) {
    public StaticList {
        requireNonNull(name, "name is null");
    }
}
