package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

/**
 * One field path of the catalog, e.g. {@code items} ({@code ARRAY} of {@code OBJECT}) or {@code items.name}
 * ({@code STRING}: the name of any element). {@code elementType} is {@code null} unless {@code type} is
 * {@code ARRAY} and the type of its elements is known.
 */
public record CatalogField(String path, FieldType type, FieldType elementType) {
    public CatalogField {
        requireNonNull(path, "path is null");
        requireNonNull(type, "type is null");
        if (elementType != null && type != FieldType.ARRAY) {
            throw new IllegalArgumentException("only an array has an element type: " + path);
        }
    }

    /**
     * The type a condition on this field compares values against: the element type of an array (conditions
     * apply to each element), else the type itself; {@code null} for an array of unknown elements.
     */
    FieldType valueType() {
        return type == FieldType.ARRAY ? elementType : type;
    }
}
