-- Segmenta schema, part 8: the rollup's (event_name, first_at) index carries user_pk, so "first performed E
-- within <window>" is an index-only scan (at 1M users the bitmap heap scan of user_event_stats read ~16k pages).
CREATE INDEX user_event_stats_first_user ON user_event_stats (event_name, first_at) INCLUDE (user_pk);
DROP INDEX user_event_stats_first;
