-- Server-side records of web sign-ins. The session cookie Quarkus issues is only encrypted, so it cannot be taken
-- back; each sign-in also gets a random session id (its own cookie), kept here as a SHA-256 hash. A request is
-- signed in only while its row exists: signing out deletes it, so the old cookies stop working at once, on every
-- instance.
CREATE TABLE web_sessions (
    id_hash      text        PRIMARY KEY,
    username     text        NOT NULL REFERENCES web_users (username) ON DELETE CASCADE ON UPDATE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_username ON web_sessions (username);

-- Failed sign-ins, by the user name as typed (lower case) and by client address, for throttling. Rows older than
-- the throttling window are deleted as new failures arrive.
CREATE TABLE login_failures (
    id        bigserial   PRIMARY KEY,
    username  text        NOT NULL,
    address   text        NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);
