package dev.segmenta.spark.lake;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the lake's tables (docs/spark.md "Layout"), the one place that names them. Times are whole
 * microseconds since the epoch (PostgreSQL's precision, so nothing is rounded on the way); data fields are the
 * stored JSON text, so a missing key and a JSON {@code null} stay distinct and numbers keep every digit.
 */
public final class LakeTables {
    public static final String USER_PK = "user_pk";
    public static final String EMAIL = "email";
    public static final String USER_ID = "user_id";
    public static final String SIGNUP_US = "signup_us";
    public static final String UPDATED_US = "updated_us";
    public static final String DATA = "data";
    public static final String LIST_IDS = "list_ids";
    public static final String UNSUBSCRIBED_CHANNELS = "unsubscribed_channel_ids";
    public static final String UNSUBSCRIBED_TYPES = "unsubscribed_message_type_ids";
    public static final String SUBSCRIBED_TYPES = "subscribed_message_type_ids";
    /** On user change rows: true when the user was deleted (the row then carries only the pk). */
    public static final String DELETED = "deleted";
    /** On change rows: the engine change sequence number that produced the row; the latest wins. */
    public static final String SEQ = "seq";

    public static final String EVENT_PK = "event_pk";
    public static final String EVENT_NAME = "event_name";
    public static final String AT_US = "at_us";
    /**
     * Partition column of events: the UTC month of {@link #AT_US}, {@code yyyy-MM}. Not the day: two years of days
     * times the event names made about 15,000 small files per batch, and writing them dominated the commit.
     */
    public static final String MONTH = "month";

    public static final String SEGMENT_ID = "segment_id";

    /** Current users: one row per live user. */
    public static final StructType USERS = new StructType()
            .add(USER_PK, DataTypes.LongType, false)
            .add(EMAIL, DataTypes.StringType, true)
            .add(USER_ID, DataTypes.StringType, true)
            .add(SIGNUP_US, DataTypes.LongType, true)
            .add(UPDATED_US, DataTypes.LongType, true)
            .add(DATA, DataTypes.StringType, false)
            .add(LIST_IDS, DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add(UNSUBSCRIBED_CHANNELS, DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add(UNSUBSCRIBED_TYPES, DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add(SUBSCRIBED_TYPES, DataTypes.createArrayType(DataTypes.LongType, false), false);

    /** Current events (partitioned by {@link #EVENT_NAME} and {@link #MONTH} on disk). */
    public static final StructType EVENTS = new StructType()
            .add(EVENT_PK, DataTypes.LongType, false)
            .add(USER_PK, DataTypes.LongType, false)
            .add(EVENT_NAME, DataTypes.StringType, false)
            .add(AT_US, DataTypes.LongType, false)
            .add(DATA, DataTypes.StringType, false);

    /** A staged or committed user change: {@link #USERS}' columns (NULL on a deletion) and {@link #DELETED}. */
    public static final StructType USER_CHANGES = new StructType()
            .add(USER_PK, DataTypes.LongType, false)
            .add(DELETED, DataTypes.BooleanType, false)
            .add(EMAIL, DataTypes.StringType, true)
            .add(USER_ID, DataTypes.StringType, true)
            .add(SIGNUP_US, DataTypes.LongType, true)
            .add(UPDATED_US, DataTypes.LongType, true)
            .add(DATA, DataTypes.StringType, true)
            .add(LIST_IDS, DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add(UNSUBSCRIBED_CHANNELS, DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add(UNSUBSCRIBED_TYPES, DataTypes.createArrayType(DataTypes.LongType, false), true)
            .add(SUBSCRIBED_TYPES, DataTypes.createArrayType(DataTypes.LongType, false), true);

    /** {@link #EVENTS} with its {@link #MONTH} partition column, as rows are written. */
    public static final StructType EVENTS_WITH_MONTH = EVENTS.add(MONTH, DataTypes.StringType, false);

    /** A recompute's output: one row per (segment, member). */
    public static final StructType MEMBERSHIPS = new StructType()
            .add(SEGMENT_ID, DataTypes.LongType, false)
            .add(USER_PK, DataTypes.LongType, false);

    private LakeTables() {}
}
