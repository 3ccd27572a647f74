package dev.segmenta.persistence.export;

/**
 * One cell of a CSV file Segmenta writes (RFC 4180), made safe to open in a spreadsheet. A cell that begins with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would be read by Excel, LibreOffice or
 * Google Sheets as a formula (CSV injection: {@code =HYPERLINK(...)}, {@code =cmd|'/C calc'!A0}), so, as OWASP
 * recommends, it is prefixed with a single quote and quoted: {@code =1+2} is written {@code "'=1+2"}. This includes
 * a leading minus sign, so a value such as {@code -42} is exported as {@code "'-42"}: every cell Segmenta exports
 * is an identifier (email, userId), not a number, and a spreadsheet shows the value as typed.
 */
public final class CsvCell {
    private CsvCell() {}

    public static String of(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        String text = formula ? "'" + value : value;
        if (formula || text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
