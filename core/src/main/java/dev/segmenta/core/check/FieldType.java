package dev.segmenta.core.check;

/** The type of a field in the catalog, fixed by the first value seen (DESIGN.md §2). */
public enum FieldType {
    STRING, NUMBER, BOOLEAN, DATE, OBJECT, ARRAY;

    /** Lower-case, as the catalog and messages show it: {@code string}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** With its article, for messages: {@code a string}, {@code an array}. */
    String withArticle() {
        return (this == OBJECT || this == ARRAY ? "an " : "a ") + label();
    }
}
