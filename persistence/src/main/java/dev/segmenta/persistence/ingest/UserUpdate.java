package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One profile update (Iterable {@code users/update}): identifiers, fields to merge, merge mode. */
public record UserUpdate(Identity identity, ObjectNode dataFields, boolean mergeNestedObjects) {}
