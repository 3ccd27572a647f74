-- Team review of what a segment means: a teammate marks the description reviewed, requests changes, or comments.
-- segment_version is the version they looked at, so a later edit of the rule or description can reopen the review.
CREATE TABLE segment_reviews (
    id              bigserial PRIMARY KEY,
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    verdict         text NOT NULL CHECK (verdict IN ('reviewed', 'changes_requested', 'comment')),
    comment         text NOT NULL DEFAULT '',
    segment_version integer NOT NULL
);
CREATE INDEX segment_reviews_segment ON segment_reviews (segment_id, id);
