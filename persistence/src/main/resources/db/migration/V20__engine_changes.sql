-- The columnar engine's change feed: one row per (writing transaction, user) whose snapshot changed, filled by
-- statement triggers on every table a user snapshot is read from. Each instance polls it by transaction id with the
-- oldest transaction still running (pg_snapshot_xmin) as its watermark, so a commit that becomes visible late, a
-- rolled-back transaction (its rows vanish with it) or a second writer is never missed. Old rows are pruned by age.
CREATE TABLE engine_changes (
    id          bigserial PRIMARY KEY,
    xid         bigint NOT NULL,
    user_pk     bigint NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX engine_changes_xid ON engine_changes (xid);
CREATE INDEX engine_changes_at ON engine_changes (at);

-- users: the key is id. One function for every operation (transition tables are visible only in the function);
-- a statement naming a transition table the firing trigger lacks is never run, so never planned.
CREATE FUNCTION segmenta_engine_users_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO engine_changes (xid, user_pk)
        SELECT DISTINCT pg_current_xact_id()::text::bigint, n.id FROM segmenta_engine_new n;
    ELSE
        INSERT INTO engine_changes (xid, user_pk)
        SELECT DISTINCT pg_current_xact_id()::text::bigint, o.id FROM segmenta_engine_old o;
    END IF;
    RETURN NULL;
END
$$;

-- events and list_members: the key is user_pk; an update may move rows between users, so both sides count.
CREATE FUNCTION segmenta_engine_user_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO engine_changes (xid, user_pk)
        SELECT DISTINCT pg_current_xact_id()::text::bigint, n.user_pk FROM segmenta_engine_new n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO engine_changes (xid, user_pk)
        SELECT DISTINCT pg_current_xact_id()::text::bigint, k.user_pk
        FROM (SELECT n.user_pk FROM segmenta_engine_new n UNION SELECT o.user_pk FROM segmenta_engine_old o) k;
    ELSE
        INSERT INTO engine_changes (xid, user_pk)
        SELECT DISTINCT pg_current_xact_id()::text::bigint, o.user_pk FROM segmenta_engine_old o;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_engine_insert AFTER INSERT ON users REFERENCING NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_users_changed();
CREATE TRIGGER users_engine_update AFTER UPDATE ON users REFERENCING NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_users_changed();
CREATE TRIGGER users_engine_delete AFTER DELETE ON users REFERENCING OLD TABLE AS segmenta_engine_old
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_users_changed();

CREATE TRIGGER events_engine_insert AFTER INSERT ON events REFERENCING NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();
CREATE TRIGGER events_engine_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS segmenta_engine_old NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();
CREATE TRIGGER events_engine_delete AFTER DELETE ON events REFERENCING OLD TABLE AS segmenta_engine_old
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();

CREATE TRIGGER list_members_engine_insert AFTER INSERT ON list_members REFERENCING NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();
CREATE TRIGGER list_members_engine_update AFTER UPDATE ON list_members
    REFERENCING OLD TABLE AS segmenta_engine_old NEW TABLE AS segmenta_engine_new
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();
CREATE TRIGGER list_members_engine_delete AFTER DELETE ON list_members REFERENCING OLD TABLE AS segmenta_engine_old
    FOR EACH STATEMENT EXECUTE FUNCTION segmenta_engine_user_rows_changed();
