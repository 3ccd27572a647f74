package dev.segmenta.persistence.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {
    /** Each record as "line:cell|cell" or "line!reason". */
    private static List<String> read(String csv) {
        CsvRecords records = new CsvRecords(new StringReader(csv));
        List<String> out = new ArrayList<>();
        Optional<CsvRecords.Record> header = records.next();
        records.expectColumns(header.orElseThrow().cells().size());
        for (Optional<CsvRecords.Record> r = records.next(); r.isPresent(); r = records.next()) {
            out.add(r.get().rejected() ? r.get().line() + "!" + r.get().error() : r.get().line() + ":" + String.join("|", r.get().cells()));
        }
        return out;
    }

    @Test
    void quotedFields_mayHoldCommasQuotesAndLineBreaks() {
        assertThat(read("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"one\ntwo\",z\n"))
                .containsExactly("2:x,y|say \"hi\"", "3:one\ntwo|z");
    }

    @Test
    void crlfAndCrLineEndings_byteOrderMark_andBlankLines_areHandled() {
        assertThat(read("\uFEFFa,b\r\n1,2\r\n\r\n3,4\r5,6")).containsExactly("2:1|2", "4:3|4", "5:5|6");
    }

    @Test
    void wrongColumnCount_rejectsThatLineOnly() {
        assertThat(read("a,b\n1,2\n1,2,3\n4\n5,6\n")).containsExactly("2:1|2", "3!expected 2 columns, found 3",
                "4!expected 2 columns, found 1", "5:5|6");
    }

    @Test
    void unterminatedQuote_rejectsItsLine_andReadingResumesOnTheNext() {
        assertThat(read("a,b\n1,\"open\n2,3\n4,5\n")).containsExactly("2!unterminated quoted field", "3:2|3", "4:4|5");
    }

    @Test
    void quoteClosedOnALaterLine_makingABadRecord_rejectsOnlyTheFirstLine() {
        assertThat(read("a,b\n1,\"open\n2,\"3\"\n4,5\n")).hasSize(3).startsWith("2!unexpected character '3' after a closing quote (column 4)")
                .endsWith("3:2|3", "4:4|5");
        assertThat(read("a,b\n\"open,1\n2\",3,4\n5,6\n")).containsExactly(
                "2!expected 2 columns, found 3 (a quoted field may be unterminated)", "3!expected 2 columns, found 3", "4:5|6");
    }

    @Test
    void textAfterAClosingQuote_isRejected() {
        assertThat(read("a,b\n\"x\"y,1\n2,3\n")).first().asString().startsWith("2!unexpected character 'y'");
    }

    @Test
    void quoteInsideAnUnquotedField_isLiteral() {
        assertThat(read("a,b\n5'10\",x\n")).containsExactly("2:5'10\"|x");
    }

    /** The hand-written cell splitter against commons-csv (RFC 4180) on random well-formed records: the same cells. */
    @Test
    void cells_agreeWithCommonsCsv_onRandomRecords() throws Exception {
        java.util.Random random = new java.util.Random(20261129);
        String alphabet = "ab ,\"\n\t'x1é";
        org.apache.commons.csv.CSVFormat rfc = org.apache.commons.csv.CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
        for (int round = 0; round < 5000; round++) {
            int fields = 1 + random.nextInt(6);
            StringBuilder line = new StringBuilder();
            for (int f = 0; f < fields; f++) {
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(6);
                for (int k = 0; k < length; k++) {
                    value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String v = value.toString();
                boolean mustQuote = v.contains(",") || v.contains("\"") || v.contains("\n");
                if (f > 0) {
                    line.append(',');
                }
                line.append(mustQuote || random.nextInt(4) == 0 ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            String text = line.toString();
            List<String> expected;
            try (org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVParser.parse(text, rfc)) {
                List<org.apache.commons.csv.CSVRecord> records = parser.getRecords();
                expected = records.isEmpty() ? List.of("") : records.get(0).toList();
            }
            assertThat(CsvRecords.cells(text)).as(text).isEqualTo(expected);
        }
    }
}
