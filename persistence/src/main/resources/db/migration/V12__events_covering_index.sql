-- Segmenta schema, part 7: the index on (event_name, created_at) carries user_pk, so the semi-joins the SQL
-- compiler writes for event rules with a time window (u.id IN (SELECT e.user_pk FROM events e WHERE
-- e.event_name = ? AND e.created_at <range> ...)) are index-only scans when they have no where clause, instead of
-- one heap fetch per event in the window. Building it on a large events table takes a while (about a minute per
-- 30M events on 2 cores) and blocks writes to events meanwhile.
CREATE INDEX events_name_time_user ON events (event_name, created_at) INCLUDE (user_pk);
DROP INDEX events_name_time;
