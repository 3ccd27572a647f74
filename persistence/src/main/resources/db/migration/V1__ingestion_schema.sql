-- Segmenta schema, part 1: what ingestion writes and reads.
-- Users, events, static lists, channels and message types, subscriptions, the field catalog, API keys, audit log.

-- Merges b into a. Top-level keys of b replace those of a, except that when deep is true and both values are
-- objects they are merged the same way (Iterable's mergeNestedObjects). A JSON null in b stores null.
CREATE FUNCTION segmenta_jsonb_merge(a jsonb, b jsonb, deep boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT deep OR a IS NULL OR jsonb_typeof(a) <> 'object' OR jsonb_typeof(b) <> 'object' THEN coalesce(a, '{}'::jsonb) || b
        ELSE (
            SELECT coalesce(jsonb_object_agg(k,
                CASE WHEN a ? k AND b ? k AND jsonb_typeof(a -> k) = 'object' AND jsonb_typeof(b -> k) = 'object'
                     THEN segmenta_jsonb_merge(a -> k, b -> k, true)
                     WHEN b ? k THEN b -> k
                     ELSE a -> k END), '{}'::jsonb)
            FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) keys
        )
    END
$$;

CREATE TABLE users (
    id                              bigserial PRIMARY KEY,
    -- stored lower-cased: emails compare case-insensitively
    email                           text UNIQUE,
    user_id                         text UNIQUE,
    data_fields                     jsonb NOT NULL DEFAULT '{}'::jsonb,
    signup_date                     timestamptz NOT NULL,
    created_at                      timestamptz NOT NULL,
    profile_updated_at              timestamptz NOT NULL,
    unsubscribed_channel_ids        bigint[] NOT NULL DEFAULT '{}',
    unsubscribed_message_type_ids   bigint[] NOT NULL DEFAULT '{}',
    subscribed_message_type_ids     bigint[] NOT NULL DEFAULT '{}',
    CONSTRAINT users_identified CHECK (email IS NOT NULL OR user_id IS NOT NULL),
    CONSTRAINT users_email_lower CHECK (email = lower(email))
);
CREATE INDEX users_signup_date ON users (signup_date);
CREATE INDEX users_data_fields ON users USING gin (data_fields jsonb_path_ops);

CREATE TABLE events (
    id              bigserial PRIMARY KEY,
    user_pk         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_name      text NOT NULL,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    data_fields     jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- the client's id: an event with an existing id replaces that event
    event_id        text,
    campaign_id     bigint,
    template_id     bigint,
    CONSTRAINT events_event_id_length CHECK (octet_length(event_id) <= 512)
);
CREATE UNIQUE INDEX events_event_id ON events (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX events_user_name_time ON events (user_pk, event_name, created_at);
CREATE INDEX events_name_time ON events (event_name, created_at);

-- Lists and segments share one id space (Iterable shows both through /api/lists).
CREATE SEQUENCE list_ids;

CREATE TABLE lists (
    id          bigint PRIMARY KEY DEFAULT nextval('list_ids'),
    name        text NOT NULL UNIQUE,
    description text,
    created_at  timestamptz NOT NULL
);

CREATE TABLE list_members (
    list_id     bigint NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    user_pk     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (list_id, user_pk)
);
CREATE INDEX list_members_user ON list_members (user_pk);

CREATE TABLE channels (
    id      bigserial PRIMARY KEY,
    name    text NOT NULL UNIQUE,
    medium  text NOT NULL
);

CREATE TABLE message_types (
    id                  bigserial PRIMARY KEY,
    name                text NOT NULL UNIQUE,
    channel_id          bigint NOT NULL REFERENCES channels (id),
    subscription_policy text NOT NULL CHECK (subscription_policy IN ('OptIn', 'OptOut'))
);

INSERT INTO channels (name, medium) VALUES ('Email', 'Email'), ('Push', 'Push'), ('SMS', 'SMS');
INSERT INTO message_types (name, channel_id, subscription_policy)
SELECT t.name, c.id, t.policy
FROM (VALUES ('Marketing Email', 'Email', 'OptOut'),
             ('Newsletter', 'Email', 'OptIn'),
             ('Transactional Email', 'Email', 'OptOut'),
             ('Push Marketing', 'Push', 'OptOut'),
             ('SMS Marketing', 'SMS', 'OptIn')) AS t (name, channel, policy)
JOIN channels c ON c.name = t.channel;

-- Every field path seen on users ('' event name) and on each event name, with the type its first value fixed.
CREATE TABLE field_catalog (
    scope           text NOT NULL CHECK (scope IN ('user', 'event')),
    event_name      text NOT NULL DEFAULT '',
    path            text NOT NULL,
    type            text NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date', 'object', 'array')),
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    PRIMARY KEY (scope, event_name, path)
);

CREATE TABLE event_catalog (
    event_name      text PRIMARY KEY,
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL,
    -- SHA-256 of the key (keys are 32 random bytes, so a fast hash is enough); the key itself is never stored
    key_hash        text NOT NULL UNIQUE,
    key_prefix      text NOT NULL,
    scopes          text[] NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
