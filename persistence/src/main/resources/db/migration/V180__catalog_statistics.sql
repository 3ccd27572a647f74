-- The catalog's last statistics (users, users per field path, events per name), as FieldStatistics computed them:
-- kept so that a restart (or another instance) serves them at once instead of waiting for a full scan of users and
-- events, and refreshes them in the background (docs/architecture.md, "Catalog statistics"). One row.
CREATE TABLE catalog_statistics (
    id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
    computed_at          timestamptz NOT NULL,
    scan_millis          bigint NOT NULL,
    total_users          bigint NOT NULL,
    -- users with a value at each path (data fields, nested paths, email, userId), in the order of fill_paths
    fill_paths           text[] NOT NULL,
    fill_counts          bigint[] NOT NULL,
    -- the user field paths of the catalog when the scan began: a path listed here and absent from fill_paths is set on
    -- no user; a path absent here is newer than these statistics (its fill count is unknown)
    known_paths          text[] NOT NULL,
    event_names          text[] NOT NULL,
    event_counts         bigint[] NOT NULL,
    last_profile_update  timestamptz
);
