-- Which engine computed each membership run, and why SQL did when the columnar engine was configured
-- (loading, failed to load, or a rule it cannot evaluate): operators see it in the segment's history and
-- in the recompute runs, not only in the log. NULL for runs recorded before this migration.
ALTER TABLE segment_size_history ADD COLUMN engine text, ADD COLUMN engine_fallback text;
ALTER TABLE recompute_run_segments ADD COLUMN engine text, ADD COLUMN engine_fallback text;
