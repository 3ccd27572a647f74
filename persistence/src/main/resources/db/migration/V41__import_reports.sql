-- The outcome of an upload made in the browser (list members, a static segment from a CSV), kept so the person can
-- read which rows were rejected and why, and download them, after the upload's request is over.
CREATE TABLE import_reports (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    -- what the rows went into, as shown ("list 'Beta testers'", "static segment 'VIP import'") and its page
    target          text NOT NULL,
    target_path     text,
    file_name       text NOT NULL,
    rows_imported   bigint NOT NULL,
    rows_rejected   bigint NOT NULL,
    -- [{"line": 3, "reason": "..."}], at most ImportReport.MAX_LISTED of them
    rejected        jsonb NOT NULL
);
