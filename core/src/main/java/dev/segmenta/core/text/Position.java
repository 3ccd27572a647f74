package dev.segmenta.core.text;

/** A place in rule-language text: 1-based line and column. */
public record Position(int line, int column) implements Comparable<Position> {
    public static final Position UNKNOWN = new Position(0, 0);

    public Position {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative");
        }
    }

    public boolean isKnown() {
        return line > 0;
    }

    @Override
    public int compareTo(Position other) {
        return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
