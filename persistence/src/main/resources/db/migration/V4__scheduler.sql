-- Segmenta schema, part 4: scheduled recompute runs (freshness), alerts, webhooks with their delivery log.

-- One row per scheduled recompute run. A row left 'running' by a crashed node is reported as stuck and
-- marked 'abandoned' by the next run that gets the advisory lock.
CREATE TABLE recompute_runs (
    id              bigserial PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    duration_ms     integer,
    status          text NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')),
    node            text NOT NULL,
    segments_ok     integer NOT NULL DEFAULT 0,
    segments_failed integer NOT NULL DEFAULT 0
);
CREATE INDEX recompute_runs_started ON recompute_runs (started_at);

-- Per segment outcome of a run: the error when it failed.
CREATE TABLE recompute_run_segments (
    run_id          bigint NOT NULL REFERENCES recompute_runs (id) ON DELETE CASCADE,
    segment_id      bigint NOT NULL,
    segment_name    text NOT NULL,
    ok              boolean NOT NULL,
    size            bigint,
    entered         bigint,
    exited          bigint,
    duration_ms     integer,
    error           text,
    PRIMARY KEY (run_id, segment_id)
);

CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    segment_id      bigint REFERENCES segments (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('size-change', 'guard')),
    message         text NOT NULL,
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alerts_at ON alerts (at);

-- A receiver of membership changes (and alerts). segment_id NULL = every segment. The cursors are the last
-- segment_changes / alerts id delivered: the change log is the outbox, so a receiver gets every change once
-- and in log order.
CREATE TABLE webhooks (
    id                  bigserial PRIMARY KEY,
    url                 text NOT NULL,
    segment_id          bigint REFERENCES segments (id) ON DELETE CASCADE,
    secret              text NOT NULL,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    enabled             boolean NOT NULL DEFAULT true,
    disabled_reason     text,
    change_cursor       bigint NOT NULL,
    alert_cursor        bigint NOT NULL,
    failed_attempts     integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz
);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('changes', 'alerts')),
    first_id        bigint NOT NULL,
    last_id         bigint NOT NULL,
    items           integer NOT NULL,
    attempt         integer NOT NULL,
    status_code     integer,
    ok              boolean NOT NULL,
    error           text,
    duration_ms     integer NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
