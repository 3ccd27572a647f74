-- Segmenta schema, part 7: the recursive path functions behind a PL/pgSQL wrapper, for the rare shapes only;
-- a wider, inlinable date fast path (below).
-- The SQL compiler reads paths with plain operators and jsonb_array_elements where at most one array lies on the
-- path (PostgresDialect.anyReached); only nested arrays, arrays at two levels of a path and a document that is an
-- array still need the recursive walk. Inlined (V6), each mention of segmenta_reach_scalars carries the planner's
-- estimate for two recursive CTEs (~10,000 cost units per row), even in CASE branches that never run, so a filter
-- on events looked 1,000x dearer than it is and the planner chose a full scan of an index over a hash join
-- (gloves_60d). A PL/pgSQL function is never inlined; it carries the declared COST and ROWS instead, and caches
-- the plan of its one query per session. Same rows as the functions it wraps (NULL in, no rows out).

CREATE FUNCTION segmenta_reach_nested(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 4 COST 1000 AS $$
BEGIN
    RETURN QUERY SELECT r FROM segmenta_reach(doc, path) AS r;
END
$$;

CREATE FUNCTION segmenta_reach_scalars_nested(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 4 COST 1000 AS $$
BEGIN
    RETURN QUERY SELECT s FROM segmenta_reach_scalars(doc, path) AS s;
END
$$;

CREATE FUNCTION segmenta_scalars_nested(value jsonb) RETURNS SETOF jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE ROWS 4 COST 1000 AS $$
BEGIN
    RETURN QUERY SELECT s FROM segmenta_scalars(value) AS s;
END
$$;

-- The date fast path of V7, widened and inlinable. (1) Days 29-31 now take the cast too where every year has
-- them (29 and 30 in any month but February, 31 in the seven long months); before, each such string went to the
-- PL/pgSQL parser, ~170 us a call, which was most of a "more than 90 days ago" test over all users. February 29
-- still goes to the parser. The regular expression still admits only strings the cast reads exactly as core's
-- Dates.parse does and cannot fail on. (2) STABLE instead of IMMUTABLE: the text -> timestamptz cast is STABLE,
-- and PostgreSQL inlines an SQL function only when its body is no more volatile than declared, so V7's version was
-- called through the SQL-function executor per row. Its value still depends on its arguments only ('Z' fixes the
-- offset); nothing indexes it.
CREATE OR REPLACE FUNCTION segmenta_json_instant_ns(value jsonb, zone text) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'string' AND zone IS NOT NULL THEN
        CASE WHEN (value #>> '{}') ~ '^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?Z$'
            THEN extract(epoch FROM (value #>> '{}')::timestamptz) * 1000000000
            ELSE segmenta_instant_ns(value #>> '{}', zone) END
    END
$$;
