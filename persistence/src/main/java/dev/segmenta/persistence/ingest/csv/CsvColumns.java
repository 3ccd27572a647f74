package dev.segmenta.persistence.ingest.csv;

import dev.segmenta.persistence.error.SegmentaException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each column of a CSV header means: an identifier or event attribute ({@code email}, {@code userId},
 * {@code eventName}, ...), or a data field whose dotted name ({@code address.city}) is a path into nested
 * objects. Problems with the header fail the whole import with {@code BadParams}: no row could be read right.
 */
final class CsvColumns {
    private final Map<String, Integer> reserved = new LinkedHashMap<>();
    private final List<Integer> dataIndexes = new ArrayList<>();
    private final List<String> dataPaths = new ArrayList<>();
    private final int size;

    private CsvColumns(int size) {
        this.size = size;
    }

    /**
     * @param reservedNames columns with a fixed meaning (matched case-insensitively)
     * @param dataAllowed whether other columns become data fields (else they are an error)
     */
    static CsvColumns of(List<String> header, Set<String> reservedNames, boolean dataAllowed) {
        CsvColumns columns = new CsvColumns(header.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (name.isEmpty()) {
                throw SegmentaException.badParams("header", "column " + (i + 1) + " of the header row has no name");
            }
            if (!seen.add(name)) {
                throw SegmentaException.badParams("header", "column '" + name + "' appears twice in the header row");
            }
            String canonical = reservedNames.stream().filter(r -> r.equalsIgnoreCase(name)).findFirst().orElse(null);
            if (canonical != null) {
                if (columns.reserved.containsKey(canonical)) {
                    throw SegmentaException.badParams("header", "column '" + canonical + "' appears twice in the header row");
                }
                columns.reserved.put(canonical, i);
            } else if (dataAllowed) {
                for (String step : name.split("\\.", -1)) {
                    if (step.isEmpty()) {
                        throw SegmentaException.badParams("header", "column '" + name + "' has an empty step in its dotted path");
                    }
                }
                columns.dataIndexes.add(i);
                columns.dataPaths.add(name);
            } else {
                throw SegmentaException.badParams("header", "unexpected column '" + name + "'; expected " + String.join(" and/or ", reservedNames));
            }
        }
        for (String a : columns.dataPaths) {
            for (String b : columns.dataPaths) {
                if (b.startsWith(a + ".")) {
                    throw SegmentaException.badParams("header", "columns '" + a + "' and '" + b + "' conflict: '" + a
                            + "' cannot be both a value and an object");
                }
            }
        }
        return columns;
    }

    int size() {
        return size;
    }

    boolean has(String reservedName) {
        return reserved.containsKey(reservedName);
    }

    /** The cell of a reserved column, or null when the column is absent or the cell empty. */
    String get(List<String> cells, String reservedName) {
        Integer i = reserved.get(reservedName);
        if (i == null) {
            return null;
        }
        String value = cells.get(i).trim();
        return value.isEmpty() ? null : value;
    }

    List<Integer> dataIndexes() {
        return dataIndexes;
    }

    List<String> dataPaths() {
        return dataPaths;
    }
}
