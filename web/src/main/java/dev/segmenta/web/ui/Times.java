package dev.segmenta.web.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages write times: "3 h ago" next to the exact UTC time. */
public final class Times {
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String exact(Instant at) {
        return at == null ? "" : EXACT.format(at);
    }

    public static String ago(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, now);
        if (d.isNegative()) {
            return "in " + span(d.negated());
        }
        return d.toSeconds() < 60 ? "just now" : span(d) + " ago";
    }

    private static String span(Duration d) {
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h";
        }
        return d.toDays() + " days";
    }
}
