package dev.segmenta.spark.lake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Rows of the lake's tables ({@link LakeTables}), built from the values PostgreSQL stores. */
public final class LakeRows {
    private LakeRows() {}

    /** A row of {@link LakeTables#USERS}; the email is stored lower-cased already (ingestion folds it). */
    public static Row user(long userPk, String email, String userId, Instant signupDate, Instant profileUpdatedAt,
            String dataJson, Collection<Long> listIds, Collection<Long> unsubscribedChannelIds,
            Collection<Long> unsubscribedMessageTypeIds, Collection<Long> subscribedMessageTypeIds) {
        return RowFactory.create(userPk, email, userId, micros(signupDate), micros(profileUpdatedAt),
                dataJson == null ? "{}" : dataJson, longs(listIds), longs(unsubscribedChannelIds),
                longs(unsubscribedMessageTypeIds), longs(subscribedMessageTypeIds));
    }

    /** A row of {@link LakeTables#EVENTS} followed by its {@link LakeTables#MONTH} partition value. */
    public static Row event(long eventPk, long userPk, String eventName, Instant createdAt, String dataJson) {
        return RowFactory.create(eventPk, userPk, eventName, micros(createdAt), dataJson == null ? "{}" : dataJson,
                month(createdAt));
    }

    /** Whole microseconds since the epoch (PostgreSQL's precision; finer parts are dropped as it drops them). */
    public static Long micros(Instant t) {
        return t == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, t.truncatedTo(ChronoUnit.MICROS));
    }

    /** The UTC month of an instant ({@code yyyy-MM}), the events' partition value. */
    public static String month(Instant t) {
        return java.time.YearMonth.from(t.atOffset(ZoneOffset.UTC)).toString();
    }

    private static scala.collection.immutable.Seq<Long> longs(Collection<Long> ids) {
        return scala.jdk.javaapi.CollectionConverters.asScala(ids == null ? java.util.List.<Long>of()
                : new java.util.ArrayList<>(new java.util.TreeSet<>(ids))).toList();
    }
}
