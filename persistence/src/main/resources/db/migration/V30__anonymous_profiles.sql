-- Segmenta schema: identities for Segment-style tracking (docs/api-imports.md, "Identity").
--
-- Calls that carry only an anonymousId are held here, outside users, until the anonymous id is tied to a user
-- (identify or alias, or any call carrying both ids). Held data is not a user: segments, pages and counts see
-- users only (DESIGN.md §2: a user has an email and/or a userId). On the merge, held traits and events move to
-- the user through the ingestion service, and the anonymous id is linked to the user so later calls carrying
-- only it go to that user directly.

-- Traits of identify/group calls made with only an anonymousId.
CREATE TABLE anonymous_profiles (
    anonymous_id    text PRIMARY KEY,
    traits          jsonb NOT NULL DEFAULT '{}'::jsonb,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL
);

-- Events (track/page/screen) made with only an anonymousId. event_id is the message id: a replay replaces itself.
CREATE TABLE anonymous_events (
    id              bigserial PRIMARY KEY,
    anonymous_id    text NOT NULL,
    event_name      text NOT NULL,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    data_fields     jsonb NOT NULL DEFAULT '{}'::jsonb,
    event_id        text,
    -- why the last merge could not move this event (it stays here, nothing is dropped)
    merge_failure   text,
    CONSTRAINT anonymous_events_event_id_length CHECK (octet_length(event_id) <= 512)
);
CREATE UNIQUE INDEX anonymous_events_event_id ON anonymous_events (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX anonymous_events_anonymous_id ON anonymous_events (anonymous_id);

-- Identifiers that now stand for a user: 'a:' || anonymousId, or 'u:' || a userId aliased into another user.
CREATE TABLE identity_links (
    alias           text PRIMARY KEY,
    user_pk         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_at       timestamptz NOT NULL
);
CREATE INDEX identity_links_user ON identity_links (user_pk);

-- Every merge, once: what was merged into which user, by which call, and what moved.
CREATE TABLE identity_merges (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL,
    cause           text NOT NULL CHECK (cause IN ('identify', 'alias', 'track', 'page', 'screen', 'group')),
    source          text NOT NULL,
    into_user_pk    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    events_moved    integer NOT NULL,
    fields_added    text[] NOT NULL,
    lists_moved     integer NOT NULL,
    events_failed   integer NOT NULL
);
CREATE INDEX identity_merges_user ON identity_merges (into_user_pk);
