-- Segmenta schema, part 2: helper functions the SQL compiler (dev.segmenta.persistence.sql) calls. Each one
-- mirrors a piece of the in-memory evaluator in core (dev.segmenta.core.eval) exactly; the differential test
-- (SqlCompilerDifferentialTest) checks that they agree. All are IMMUTABLE: they depend on their arguments only.

-- The values a field path reaches in a JSON document (core: FieldValues.at). At an object take the step's key;
-- at an array apply the same step to every element, nested arrays at any depth; a scalar or null reaches
-- nothing. JSON nulls are dropped; the value at the end of the path is kept whole (an array stays an array).
-- jsonb_path_query('lax $.a.b') would unwrap only one level of array per step, hence this function.
CREATE FUNCTION segmenta_reach(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
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

-- A value with arrays (at any depth) replaced by their elements, nulls dropped (core: FieldValues.scalars).
CREATE FUNCTION segmenta_scalars(value jsonb) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH RECURSIVE flat(node) AS (
        SELECT value
        UNION ALL
        SELECT e.value
        FROM flat f
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f.node) = 'array' THEN f.node ELSE '[]'::jsonb END) e
    )
    SELECT node FROM flat WHERE jsonb_typeof(node) NOT IN ('array', 'null')
$$;

-- segmenta_scalars of every value segmenta_reach reaches: what =, in, <, between, starts with, dates look at.
CREATE FUNCTION segmenta_reach_scalars(doc jsonb, path text[]) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT s FROM segmenta_reach(doc, path) r, segmenta_scalars(r) s
$$;

-- A string read as a point in time, as nanoseconds since 1970-01-01T00:00:00Z, or NULL when it is not a date
-- (core: Dates.parse). Nanoseconds because a string may carry up to 9 fractional digits and timestamptz keeps
-- only 6. zone is a PostgreSQL time zone name (PostgresDialect.zoneName). Date-only: the start of that day in the
-- zone; no offset: that local time in the zone; Z or +-hh:mm: that instant. Where the local time is ambiguous or
-- skipped (DST), java.time takes the offset in force before the transition; PostgreSQL takes it for a gap but the
-- later offset for an overlap, so the overlap case is corrected below.
CREATE FUNCTION segmenta_instant_ns(text text, zone text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    m text[];
    y int; mo int; d int; h int := 0; mi int := 0; s int := 0;
    frac text; nanos numeric := 0;
    local timestamp; t timestamptz; c timestamptz; prev_offset interval;
    off_sign int; off_h int; off_m int;
BEGIN
    -- [0-9], not \d: PostgreSQL's \d may match non-ASCII digits, java.util.regex's does not.
    m := regexp_match(text, '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)? ?(Z|[+-][0-9]{2}:[0-9]{2})?)?$');
    IF m IS NULL THEN
        RETURN NULL;
    END IF;
    y := m[1]::int; mo := m[2]::int; d := m[3]::int;
    IF mo < 1 OR mo > 12 OR d < 1 OR d > 31 THEN
        RETURN NULL;
    END IF;
    -- ISO year 0 is 1 BC, which PostgreSQL writes as year -1.
    IF d > extract(day FROM (make_date(CASE WHEN y = 0 THEN -1 ELSE y END, mo, 1) + interval '1 month' - interval '1 day')) THEN
        RETURN NULL;
    END IF;
    IF m[4] IS NOT NULL THEN
        h := m[4]::int; mi := m[5]::int; s := coalesce(m[6]::int, 0);
        IF h > 23 OR mi > 59 OR s > 59 THEN
            RETURN NULL;
        END IF;
        frac := m[7];
        IF frac IS NOT NULL THEN
            nanos := rpad(frac, 9, '0')::numeric;
        END IF;
    END IF;
    local := make_timestamp(CASE WHEN y = 0 THEN -1 ELSE y END, mo, d, h, mi, s);
    IF m[8] IS NULL THEN
        t := local AT TIME ZONE zone;
        prev_offset := ((t - interval '1 day') AT TIME ZONE zone) - ((t - interval '1 day') AT TIME ZONE 'UTC');
        c := (local - prev_offset) AT TIME ZONE 'UTC';
        IF c < t AND (c AT TIME ZONE zone) = local THEN
            t := c;
        END IF;
    ELSIF m[8] = 'Z' THEN
        t := local AT TIME ZONE 'UTC';
    ELSE
        off_sign := CASE WHEN left(m[8], 1) = '-' THEN -1 ELSE 1 END;
        off_h := substr(m[8], 2, 2)::int; off_m := substr(m[8], 5, 2)::int;
        -- java.time.ZoneOffset accepts at most 18:00.
        IF off_m > 59 OR off_h > 18 OR (off_h = 18 AND off_m > 0) THEN
            RETURN NULL;
        END IF;
        t := (local - off_sign * make_interval(hours => off_h, mins => off_m)) AT TIME ZONE 'UTC';
    END IF;
    RETURN extract(epoch FROM t) * 1000000000 + nanos;
END
$$;

-- A JSON value read as a point in time (core: Dates.of): strings through segmenta_instant_ns, anything else NULL.
CREATE FUNCTION segmenta_json_instant_ns(value jsonb, zone text) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'string' THEN segmenta_instant_ns(value #>> '{}', zone) END
$$;
