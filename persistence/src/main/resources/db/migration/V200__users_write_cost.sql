-- What every write of a user paid for nothing (issue 15: a users CSV import at >= 20k rows/s; the measurements are in
-- docs/performance.md, "Users CSV import", session of 2026-11-30 06:00).

-- 1. The GIN index on users.data_fields (jsonb_path_ops, V1) serves only `data_fields @> …` and jsonpath tests on the
--    whole column, and no query of Segmenta makes one: the SQL compiler reads a profile path with -> / #> and compares
--    case-folded text, numbers and dates (its only containment tests are on a value it has already reached, which no
--    index on the column can answer), previews are answered by the columnar engine, and the bench's hand-written SQL
--    tests containment on events only. Yet every created user added one entry per value of its profile, and every
--    merged user as many again (a new row version: the index also kept merges from ever being HOT updates).
DROP INDEX IF EXISTS users_data_fields;

-- 2. segmenta_jsonb_merge (V1) held its deep merge in a sub-select, so PostgreSQL could never inline it: every merged
--    row ran the function through the SQL-function executor even for a shallow merge, which is one `||`. The deep merge
--    moves to its own function, unchanged; segmenta_jsonb_merge is now one expression PostgreSQL inlines into the
--    calling statement, with the same result for every argument.
CREATE FUNCTION segmenta_jsonb_deep_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(k,
        CASE WHEN a ? k AND b ? k AND jsonb_typeof(a -> k) = 'object' AND jsonb_typeof(b -> k) = 'object'
             THEN segmenta_jsonb_merge(a -> k, b -> k, true)
             WHEN b ? k THEN b -> k
             ELSE a -> k END), '{}'::jsonb)
    FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) keys
$$;

CREATE OR REPLACE FUNCTION segmenta_jsonb_merge(a jsonb, b jsonb, deep boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT deep OR a IS NULL OR jsonb_typeof(a) <> 'object' OR jsonb_typeof(b) <> 'object' THEN coalesce(a, '{}'::jsonb) || b
        ELSE segmenta_jsonb_deep_merge(a, b)
    END
$$;
