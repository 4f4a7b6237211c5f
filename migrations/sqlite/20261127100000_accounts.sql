-- Who may do what: accounts with one role each, the sub-goals an owner answers for,
-- server-side sessions, failed logins (for the rate limit) and settings.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    login          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) BETWEEN 1 AND 64),
    display_name   TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'owner', 'viewer')),
    -- argon2id PHC string; never leaves the server.
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL
);

-- A user may own several sub-goals; a sub-goal may have several owners.
CREATE TABLE subgoal_owners (
    subgoal_id  INTEGER NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (subgoal_id, user_id)
);
CREATE INDEX subgoal_owners_by_user ON subgoal_owners (user_id);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash  BLOB PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    login   TEXT NOT NULL COLLATE NOCASE,
    client  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures (login, at);
CREATE INDEX login_failures_by_client ON login_failures (client, at);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
