-- Segmenta schema, part 6: a rollup of events per user and event name (DESIGN.md §4: "rollup tables kept at
-- ingest ... wherever they give the exact answer"). One row per (event name, user) that has at least one event of
-- that name: how many, the first and the last time. The SQL compiler reads it for rules without a where clause
-- and without a time window: first/last performed, performed (at least / at most / exactly N times) ever.
--
-- Kept exact by statement-level triggers on events, whatever writes them (trackBulk, track, CSV, COPY, user
-- deletion cascading to events, replacement of an event by its id):
--   * counts move by deltas only: +n for inserted rows (and the new version of an updated row), -n for deleted
--     rows (and the old version); deltas commute, so concurrent writers need nothing but the upsert's row lock;
--     a row whose count reaches 0 is deleted;
--   * first/last: an added time takes least/greatest (idempotent); for keys that lost a row, first_at and last_at
--     are read again from events (min/max over the index on user_pk, event_name, created_at), after locking those
--     keys' rollup rows in key order. Each statement of a VOLATILE PL/pgSQL function takes a new snapshot, so
--     this sees every insert that committed before the lock was granted; an insert still running waits for the
--     lock and applies its own least/greatest after. Reading min/max again is idempotent, so it does not matter
--     whether the INSERT trigger of the same INSERT ... ON CONFLICT statement ran before or after.
--   * TRUNCATE events truncates the rollup.
-- IngestionService writes a request's events in one statement, so a request takes its rollup row locks in one
-- sorted pass and concurrent requests cannot deadlock on them.
-- Bulk loaders may disable the triggers and call segmenta_rebuild_event_stats() afterwards.
CREATE TABLE user_event_stats (
    event_name  text NOT NULL,
    user_pk     bigint NOT NULL,
    event_count bigint NOT NULL,
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (event_name, user_pk)
) WITH (fillfactor = 80); -- room on each page, so most upserts are HOT updates (no index entries)
-- first performed E within <window>: a range scan. first_at rarely changes once set, so upserts stay HOT.
CREATE INDEX user_event_stats_first ON user_event_stats (event_name, first_at);

-- One function for inserts, updates (replacement by event id: the new versions are added, the old ones removed)
-- and deletes, since transition tables are visible only in the trigger function itself. A statement that names a
-- transition table the firing trigger does not have is never run, so it is never planned.
CREATE FUNCTION segmenta_event_stats_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO user_event_stats AS s (event_name, user_pk, event_count, first_at, last_at)
        SELECT n.event_name, n.user_pk, count(*), min(n.created_at), max(n.created_at)
        FROM segmenta_new_events n
        GROUP BY n.event_name, n.user_pk
        ORDER BY n.event_name, n.user_pk
        ON CONFLICT (event_name, user_pk) DO UPDATE SET
            event_count = s.event_count + EXCLUDED.event_count,
            first_at = least(s.first_at, EXCLUDED.first_at),
            last_at = greatest(s.last_at, EXCLUDED.last_at);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- Lock the rollup rows that lose events in key order, then work with snapshots taken after the locks.
        PERFORM 1 FROM user_event_stats s
        WHERE (s.event_name, s.user_pk) IN (SELECT o.event_name, o.user_pk FROM segmenta_old_events o)
        ORDER BY s.event_name, s.user_pk
        FOR UPDATE;
        UPDATE user_event_stats s SET event_count = s.event_count - d.n
        FROM (SELECT o.event_name, o.user_pk, count(*) AS n FROM segmenta_old_events o GROUP BY o.event_name, o.user_pk) d
        WHERE s.event_name = d.event_name AND s.user_pk = d.user_pk;
        DELETE FROM user_event_stats s
        USING (SELECT DISTINCT o.event_name, o.user_pk FROM segmenta_old_events o) k
        WHERE s.event_name = k.event_name AND s.user_pk = k.user_pk AND s.event_count <= 0;
        UPDATE user_event_stats s SET
            first_at = (SELECT min(e.created_at) FROM events e WHERE e.user_pk = s.user_pk AND e.event_name = s.event_name),
            last_at = (SELECT max(e.created_at) FROM events e WHERE e.user_pk = s.user_pk AND e.event_name = s.event_name)
        FROM (SELECT DISTINCT o.event_name, o.user_pk FROM segmenta_old_events o) k
        WHERE s.event_name = k.event_name AND s.user_pk = k.user_pk;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION segmenta_event_stats_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE user_event_stats;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_stats_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS segmenta_new_events
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_event_stats_changed();
CREATE TRIGGER events_stats_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS segmenta_old_events NEW TABLE AS segmenta_new_events
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_event_stats_changed();
CREATE TRIGGER events_stats_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS segmenta_old_events
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_event_stats_changed();
CREATE TRIGGER events_stats_truncate AFTER TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_event_stats_truncated();

-- Rebuilds the whole rollup from events: after a bulk load with the triggers disabled, or to repair.
CREATE FUNCTION segmenta_rebuild_event_stats() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    LOCK TABLE user_event_stats IN ACCESS EXCLUSIVE MODE;
    TRUNCATE user_event_stats;
    INSERT INTO user_event_stats (event_name, user_pk, event_count, first_at, last_at)
    SELECT event_name, user_pk, count(*), min(created_at), max(created_at)
    FROM events GROUP BY event_name, user_pk;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

SELECT segmenta_rebuild_event_stats();
ANALYZE user_event_stats;
