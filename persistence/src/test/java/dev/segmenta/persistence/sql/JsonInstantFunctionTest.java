package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.eval.Dates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** segmenta_json_instant_ns reads every string as core's Dates.parse does, on the fast path and off it. */
class JsonInstantFunctionTest {
    private static final List<String> STRINGS = List.of(
            // fast path: day 01-28 any month; 29/30 outside February; 31 in the long months
            "2026-02-27T10:00:00Z", "2026-01-31T23:59:59.999999Z", "2026-03-31T00:00:00Z", "2026-04-30T12:00:00.5Z",
            "2026-12-31T23:59:59Z", "2026-06-29T01:02:03Z", "2026-11-30T00:00:00Z", "1000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.123456Z",
            // the parser: not valid days, leap days, other forms
            "2026-04-31T10:00:00Z", "2026-06-31T10:00:00Z", "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z",
            "2026-02-30T10:00:00Z", "2026-09-31T00:00:00Z", "2026-11-31T00:00:00Z", "2026-01-32T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31T10:00:00.1234567Z",
            "2026-01-31T10:00:00+05:30", "2026-01-31", "2026-01-31T10:00", "2026-01-31 10:00:00", "0999-12-31T00:00:00Z",
            "2026-1-31T10:00:00Z", "2026-01-31t10:00:00Z", "2026-01-31T10:00:00z", "x", "");

    @Test
    void jsonInstant_agreesWithDatesParse_onAndOffTheFastPath() throws SQLException {
        TestDatabase database = TestDatabase.fresh("json_instant");
        for (ZoneId zone : TestData.ZONES) {
            try (Connection c = database.connect();
                    PreparedStatement ps = c.prepareStatement("SELECT segmenta_json_instant_ns(to_jsonb(?::text), ?)")) {
                for (String text : STRINGS) {
                    ps.setString(1, text);
                    ps.setString(2, PostgresDialect.zoneName(zone));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        BigDecimal expected = Dates.parse(text, zone).map(t -> new BigDecimal(BigInteger.valueOf(
                                t.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
                                .add(BigInteger.valueOf(t.getNano())))).orElse(null);
                        BigDecimal actual = rs.getBigDecimal(1);
                        if (expected == null) {
                            assertThat(actual).as(text + " in " + zone).isNull();
                        } else {
                            assertThat(actual).as(text + " in " + zone).isNotNull();
                            assertThat(actual.compareTo(expected)).as(text + " in " + zone + ": " + actual).isZero();
                        }
                    }
                }
            }
        }
    }
}
