-- The identity of this database for the columnar engine's snapshot file (docs/engine.md, "Snapshot file"):
-- a snapshot written against one database is never read against another (a copy of the data directory keeps it,
-- so the snapshot also records the change feed's watermark and is refused when the database is behind it).
CREATE TABLE engine_identity (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO engine_identity DEFAULT VALUES;
