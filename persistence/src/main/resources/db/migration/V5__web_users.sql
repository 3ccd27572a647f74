-- People who sign in to the web pages (API keys are a separate mechanism: api_keys).
-- role is one of viewer (reads), editor (also builds and saves segments), admin (also manages users and keys).
CREATE TABLE web_users (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
