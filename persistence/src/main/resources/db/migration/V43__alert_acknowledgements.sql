-- Who acknowledged an alert, and when: an acknowledged alert stays in the history but no longer asks for attention.
CREATE TABLE alert_acknowledgements (
    alert_id        bigint PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    note            text NOT NULL DEFAULT ''
);
