-- Segmenta schema, part 3: segments, their versions, membership, size history, membership changes, guard users.

CREATE TABLE segments (
    id                  bigint PRIMARY KEY DEFAULT nextval('list_ids'),
    name                text NOT NULL UNIQUE,
    description         text NOT NULL DEFAULT '',
    kind                text NOT NULL CHECK (kind IN ('dynamic', 'static')),
    -- the current definition, as canonical rule-language text and as stored AST JSON
    dsl                 text NOT NULL,
    rule                jsonb NOT NULL,
    version             integer NOT NULL,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text NOT NULL,
    last_computed_at    timestamptz,
    last_duration_ms    integer,
    last_error          text,
    size                bigint NOT NULL DEFAULT 0
);

CREATE TABLE segment_versions (
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    version         integer NOT NULL,
    name            text NOT NULL,
    description     text NOT NULL,
    dsl             text NOT NULL,
    rule            jsonb NOT NULL,
    saved_at        timestamptz NOT NULL,
    saved_by        text NOT NULL,
    note            text,
    PRIMARY KEY (segment_id, version)
);

CREATE TABLE segment_members (
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    user_pk         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    since           timestamptz NOT NULL,
    PRIMARY KEY (segment_id, user_pk)
);
CREATE INDEX segment_members_user ON segment_members (user_pk);

-- One row per computation: size after it, and how many entered and exited (previous + entered - exited = size).
CREATE TABLE segment_size_history (
    id              bigserial PRIMARY KEY,
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    size            bigint NOT NULL,
    entered         bigint NOT NULL,
    exited          bigint NOT NULL,
    duration_ms     integer NOT NULL,
    cause           text NOT NULL,
    version         integer NOT NULL
);
CREATE INDEX segment_size_history_segment ON segment_size_history (segment_id, at);

-- Who entered or left, when and why. No foreign key to users: the log outlives deleted users.
CREATE TABLE segment_changes (
    id              bigserial PRIMARY KEY,
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    user_pk         bigint NOT NULL,
    at              timestamptz NOT NULL,
    change          text NOT NULL CHECK (change IN ('entered', 'exited')),
    cause           text NOT NULL CHECK (cause IN ('event', 'profile', 'membership', 'time', 'definition', 'recompute'))
);
CREATE INDEX segment_changes_segment_at ON segment_changes (segment_id, at);
CREATE INDEX segment_changes_user ON segment_changes (user_pk, at);

-- Pinned users that must be in (expect_in) or out of a segment; every computation checks them.
CREATE TABLE segment_guards (
    segment_id      bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    user_pk         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expect_in       boolean NOT NULL,
    added_at        timestamptz NOT NULL,
    added_by        text NOT NULL,
    last_result     boolean,
    PRIMARY KEY (segment_id, user_pk)
);
