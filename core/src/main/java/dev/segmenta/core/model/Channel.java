package dev.segmenta.core.model;

import static java.util.Objects.requireNonNull;

/** A delivery channel (Iterable's model): {@code Email}, {@code Push}, {@code SMS}. */
public record Channel(long id, String name, String medium) {
    public Channel {
        requireNonNull(name, "name is null");
        requireNonNull(medium, "medium is null");
    }
}
