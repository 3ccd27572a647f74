-- Segmenta schema, part 5: a fast path for the commonest date string, a UTC instant 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z'.
-- segmenta_json_instant_ns (V2) was a STRICT SQL function around a CASE, which PostgreSQL never inlines, calling
-- the PL/pgSQL parser per row. This version is inlinable (not STRICT; NULL in, NULL out all the same) and reads the
-- common form with a regular expression and a cast, in C. The regular expression admits only strings that the
-- cast reads exactly as core's Dates.parse does and that cannot raise an error: year 1000-9999, month 01-12,
-- day 01-28 (valid in every month), hour 00-23, minute and second 00-59, at most 6 fractional digits (what
-- timestamptz keeps, so nothing is rounded), 'Z'. Everything else (other days, offsets, no offset, date only,
-- 7-9 fractional digits, invalid strings) still goes through segmenta_instant_ns, unchanged.
CREATE OR REPLACE FUNCTION segmenta_json_instant_ns(value jsonb, zone text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(value) = 'string' AND zone IS NOT NULL THEN
        CASE WHEN (value #>> '{}') ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?Z$'
            THEN extract(epoch FROM (value #>> '{}')::timestamptz) * 1000000000
            ELSE segmenta_instant_ns(value #>> '{}', zone) END
    END
$$;
