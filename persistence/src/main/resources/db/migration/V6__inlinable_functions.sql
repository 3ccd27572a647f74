-- Segmenta schema, part 4: the set-returning helpers of V2 without STRICT, so that PostgreSQL can inline them
-- into the calling query (a STRICT SQL function is never inlined: the planner could not enforce strictness).
-- Not inlined, each call runs through the SQL-function executor, which re-plans the nested calls of
-- segmenta_reach_scalars every time: ~0.6 ms per event for a path through an array (gloves_60d: 3.0 s -> 0.3 s
-- at 20k users). The bodies are those of V2, unchanged. They yield no rows for a NULL document or path exactly as
-- STRICT did: jsonb_typeof(NULL) and cardinality(NULL) are NULL, so no row passes the filters, and
-- segmenta_scalars(NULL) yields none either (the dialect relies on that to skip non-arrays).

CREATE OR REPLACE FUNCTION segmenta_reach(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH RECURSIVE walk(node, step) AS (
        SELECT doc, 1
        WHERE jsonb_typeof(doc) <> 'null'
        UNION ALL
        SELECT e.value, CASE WHEN jsonb_typeof(w.node) = 'array' THEN w.step ELSE w.step + 1 END
        FROM walk w
        CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(w.node)
            WHEN 'array' THEN w.node
            WHEN 'object' THEN jsonb_build_array(w.node -> path[w.step])
            ELSE '[]'::jsonb END) e
        WHERE w.step <= cardinality(path) AND e.value IS NOT NULL AND jsonb_typeof(e.value) <> 'null'
    )
    SELECT node FROM walk WHERE step = cardinality(path) + 1
$$;

CREATE OR REPLACE FUNCTION segmenta_scalars(value jsonb) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH RECURSIVE flat(node) AS (
        SELECT value
        UNION ALL
        SELECT e.value
        FROM flat f
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f.node) = 'array' THEN f.node ELSE '[]'::jsonb END) e
    )
    SELECT node FROM flat WHERE jsonb_typeof(node) NOT IN ('array', 'null')
$$;

CREATE OR REPLACE FUNCTION segmenta_reach_scalars(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT s FROM segmenta_reach(doc, path) r, segmenta_scalars(r) s
$$;
