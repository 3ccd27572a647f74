-- CSV uploads made in the browser (users, list members, a static segment) run as background jobs: this row is what the
-- progress page polls, so a person can leave and come back, and any instance can answer. Counters are written about once
-- a second while the job runs; the rejected rows end in import_reports (report_id) as for any upload.
CREATE TABLE import_jobs (
    id              bigserial PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('users', 'list-members', 'static-segment')),
    state           text NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'failed')),
    actor           text NOT NULL,
    file_name       text NOT NULL,
    -- what the rows go into, as shown ("users", "list 'Beta testers'", "static segment 'VIP import'") and its page
    target          text NOT NULL,
    target_path     text,
    file_bytes      bigint NOT NULL,
    bytes_read      bigint NOT NULL DEFAULT 0,
    rows_read       bigint NOT NULL DEFAULT 0,
    rows_accepted   bigint NOT NULL DEFAULT 0,
    rows_rejected   bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    error           text,
    report_id       bigint REFERENCES import_reports (id) ON DELETE SET NULL
);
CREATE INDEX import_jobs_created ON import_jobs (created_at DESC);
