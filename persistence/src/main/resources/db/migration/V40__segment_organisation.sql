-- How people organise segments: an owner, tags, and archiving. Kept beside `segments` (whose rows the segment store
-- alone writes); a segment without an owner row is owned by whoever created it.
CREATE TABLE segment_owners (
    segment_id      bigint PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    owner           text NOT NULL,
    set_at          timestamptz NOT NULL,
    set_by          text NOT NULL
);

CREATE TABLE segment_tags (
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    tag             text NOT NULL,
    PRIMARY KEY (segment_id, tag)
);
CREATE INDEX segment_tags_tag ON segment_tags (tag);

-- An archived segment is hidden from the list by default and left out of scheduled and real-time recomputes.
CREATE TABLE segment_archive (
    segment_id      bigint PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    archived_at     timestamptz NOT NULL,
    archived_by     text NOT NULL
);
