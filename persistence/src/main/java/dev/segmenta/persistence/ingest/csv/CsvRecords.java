package dev.segmenta.persistence.ingest.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reads an RFC 4180 CSV stream one record at a time, with the file line each record starts on, and survives
 * bad structure: a record that cannot be read is returned as a rejection and reading goes on.
 *
 * <p>Why not one CSV parser over the whole stream: an unterminated quote makes it swallow the rest of
 * the file (or throw and stop). Here record boundaries are found first by a small quote scanner; a quoted field
 * may span lines, but when the record it makes has the wrong number of columns, or spans more than
 * {@link #MAX_RECORD_LINES} lines, or reaches the end of the file still open, only its first line is rejected
 * and reading resumes at the line after it. {@link #cells} then reads the fields of each well-formed record.
 */
final class CsvRecords implements AutoCloseable {
    static final int MAX_RECORD_LINES = 100;
    static final int MAX_RECORD_CHARS = 1 << 20;

    /** One record: its cells, or why it was rejected. {@code line} is 1-based; the header is line 1. */
    record Record(long line, List<String> cells, String error) {
        boolean rejected() {
            return error != null;
        }
    }

    private record Line(long number, String text, boolean tooLong) {}

    private final Reader in;
    private final Deque<Line> replay = new ArrayDeque<>();
    private long lastLine;
    private boolean eof;
    private int columns = -1;

    CsvRecords(Reader in) {
        this.in = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in, 1 << 16);
    }

    /** From now on records must have this many cells (the header's). */
    void expectColumns(int columns) {
        this.columns = columns;
    }

    /** The next record, or empty at the end of the file. Blank lines are skipped. */
    Optional<Record> next() {
        Line first;
        do {
            first = readLine();
            if (first == null) {
                return Optional.empty();
            }
        } while (first.text().isEmpty() && !first.tooLong());
        if (first.tooLong()) {
            return Optional.of(new Record(first.number(), List.of(), "line is longer than " + MAX_RECORD_CHARS + " characters"));
        }
        List<Line> lines = new ArrayList<>();
        lines.add(first);
        StringBuilder text = new StringBuilder(first.text());
        Scan scan = scan(first.text(), Scan.START);
        while (scan.inQuotes) {
            Line more = lines.size() >= MAX_RECORD_LINES ? null : readLine();
            if (more == null || more.tooLong() || text.length() + more.text().length() > MAX_RECORD_CHARS) {
                if (more != null) {
                    lines.add(more);
                }
                return Optional.of(rejectFirst(lines, "unterminated quoted field"));
            }
            lines.add(more);
            text.append('\n').append(more.text());
            scan = scan(more.text(), scan.afterNewline());
        }
        if (scan.error != null) {
            return Optional.of(rejectFirst(lines, scan.error));
        }
        List<String> cells = cells(text.toString());
        if (cells == null) {
            return Optional.of(rejectFirst(lines, "malformed CSV record"));
        }
        if (columns >= 0 && cells.size() != columns) {
            String reason = "expected " + columns + " columns, found " + cells.size();
            return Optional.of(lines.size() > 1 ? rejectFirst(lines, reason + " (a quoted field may be unterminated)")
                    : new Record(first.number(), List.of(), reason));
        }
        return Optional.of(new Record(first.number(), cells, null));
    }

    /** Rejects the first line of a failed multi-line record and puts the others back to be read again. */
    private Record rejectFirst(List<Line> lines, String reason) {
        for (int i = lines.size() - 1; i >= 1; i--) {
            replay.addFirst(lines.get(i));
        }
        return new Record(lines.get(0).number(), List.of(), reason);
    }

    /**
     * The cells of a record the scanner accepted (balanced quotes, a closing quote followed only by a comma or the end), read
     * as RFC 4180 says and as commons-csv reads them: a field that starts with a quote runs to its closing quote, with
     * {@code ""} for a quote; any other quote is a character. Split here rather than by a parser made per record, which
     * was a quarter of a user import's CPU (each parser allocates its own 8 KB buffer).
     */
    static List<String> cells(String text) {
        List<String> cells = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                StringBuilder cell = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        return null; // unterminated: the scanner should have refused it
                    }
                    char ch = text.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.append(ch);
                    i++;
                }
                cells.add(cell.toString());
                if (i == n) {
                    return cells;
                }
                if (text.charAt(i) != ',') {
                    return null; // something after a closing quote: the scanner should have refused it
                }
                i++;
            } else {
                int comma = text.indexOf(',', i);
                if (comma < 0) {
                    cells.add(text.substring(i));
                    return cells;
                }
                cells.add(text.substring(i, comma));
                i = comma + 1;
            }
        }
    }

    /** Quote state at the end of a line; {@code error} when a closing quote is followed by something other than a comma. */
    private record Scan(boolean inQuotes, boolean fieldStart, String error) {
        static final Scan START = new Scan(false, true, null);

        Scan afterNewline() {
            return new Scan(inQuotes, false, error);
        }
    }

    private static Scan scan(String line, Scan from) {
        boolean inQuotes = from.inQuotes;
        boolean fieldStart = from.fieldStart;
        boolean afterClosingQuote = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (inQuotes) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        inQuotes = false;
                        afterClosingQuote = true;
                    }
                }
            } else if (ch == ',') {
                fieldStart = true;
                afterClosingQuote = false;
            } else if (afterClosingQuote) {
                return new Scan(false, false, "unexpected character '" + ch + "' after a closing quote (column " + (i + 1) + ")");
            } else if (ch == '"' && fieldStart) {
                inQuotes = true;
                fieldStart = false;
            } else {
                fieldStart = false;
            }
        }
        return new Scan(inQuotes, fieldStart, null);
    }

    private Line readLine() {
        if (!replay.isEmpty()) {
            return replay.pollFirst();
        }
        if (eof) {
            return null;
        }
        try {
            StringBuilder text = new StringBuilder();
            boolean tooLong = false;
            int ch;
            while (true) {
                ch = in.read();
                if (ch == -1) {
                    eof = true;
                    if (text.length() == 0 && !tooLong) {
                        return null;
                    }
                    break;
                }
                if (ch == '\n') {
                    break;
                }
                if (ch == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                    break;
                }
                if (text.length() < MAX_RECORD_CHARS) {
                    text.append((char) ch);
                } else {
                    tooLong = true;
                }
            }
            lastLine++;
            String s = text.toString();
            if (lastLine == 1 && s.startsWith("\uFEFF")) {
                s = s.substring(1);
            }
            return new Line(lastLine, s, tooLong);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CSV body: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
