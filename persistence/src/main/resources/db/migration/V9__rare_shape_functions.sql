-- Segmenta schema, part 7: the recursive path functions behind a PL/pgSQL wrapper, for the rare shapes only.
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
