-- The change feed (V20) wrote one engine_changes row per changed user: a heap row and three index entries (id, xid, at),
-- four WAL records, for every user a statement touched. A users CSV import (issue 15) writes 2,000 users per statement,
-- and this was about a fifth of PostgreSQL's work per imported row (docs/performance.md, "Users CSV import", session of
-- 2026-11-30 06:00). Now each firing of a trigger writes ONE row holding the users it changed as an array; the feed
-- reads the same (transaction, user) pairs by unnesting it (ChangeFeed), so what it sees does not change.
ALTER TABLE engine_changes ADD COLUMN user_pks bigint[];
UPDATE engine_changes SET user_pks = ARRAY[user_pk];
ALTER TABLE engine_changes ALTER COLUMN user_pks SET NOT NULL;
ALTER TABLE engine_changes DROP COLUMN user_pk;

-- users: a statement changes each row once, so its keys are distinct without sorting. A statement that changed no row
-- writes nothing (HAVING), as before.
CREATE OR REPLACE FUNCTION segmenta_engine_users_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO engine_changes (xid, user_pks)
        SELECT pg_current_xact_id()::text::bigint, array_agg(n.id) FROM segmenta_engine_new n HAVING count(*) > 0;
    ELSE
        INSERT INTO engine_changes (xid, user_pks)
        SELECT pg_current_xact_id()::text::bigint, array_agg(o.id) FROM segmenta_engine_old o HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

-- events and list_members: many rows may name one user, so their keys are made distinct (as V20 did).
CREATE OR REPLACE FUNCTION segmenta_engine_user_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO engine_changes (xid, user_pks)
        SELECT pg_current_xact_id()::text::bigint, array_agg(DISTINCT n.user_pk) FROM segmenta_engine_new n HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO engine_changes (xid, user_pks)
        SELECT pg_current_xact_id()::text::bigint, array_agg(DISTINCT k.user_pk)
        FROM (SELECT n.user_pk FROM segmenta_engine_new n UNION ALL SELECT o.user_pk FROM segmenta_engine_old o) k HAVING count(*) > 0;
    ELSE
        INSERT INTO engine_changes (xid, user_pks)
        SELECT pg_current_xact_id()::text::bigint, array_agg(DISTINCT o.user_pk) FROM segmenta_engine_old o HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;
