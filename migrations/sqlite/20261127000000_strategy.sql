-- The strategy tree and its milestones. Every list keeps the order the city gave it
-- (`position`). Titles are checked by the application (trimmed, 1–300 characters); the
-- constraints here are the last line of defence. Ids are never reused (AUTOINCREMENT): they
-- appear in URLs, the open-data API and the revision history.

CREATE TABLE strategies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    created_at  TEXT NOT NULL
);

CREATE TABLE fields (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id  INTEGER NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    goal         TEXT,
    UNIQUE (strategy_id, position)
);

-- Projects and activities a field builds on ("Worauf wir aufbauen").
CREATE TABLE field_foundations (
    field_id  INTEGER NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    PRIMARY KEY (field_id, position)
);

CREATE TABLE needs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    field_id  INTEGER NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    UNIQUE (field_id, position)
);

CREATE TABLE subgoals (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    need_id   INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    owner     TEXT,
    weight    REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
    UNIQUE (need_id, position)
);

CREATE TABLE milestones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    subgoal_id  INTEGER NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    due         TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    done_on     TEXT,
    weight      REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
    note        TEXT,
    -- Invented demo data, marked as such in the UI.
    example     INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
    -- Increases with every change; a save names the version it was based on.
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (status <> 'done' OR done_on IS NOT NULL)
);
CREATE INDEX milestones_by_subgoal ON milestones (subgoal_id, position);

-- Every state a milestone has had, with the time it was recorded (UTC), so that the state on
-- any past date can be rebuilt. Kept when the milestone itself is deleted.
CREATE TABLE milestone_revisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    milestone_id  INTEGER NOT NULL,
    subgoal_id    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    recorded_at   TEXT NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    title         TEXT NOT NULL,
    due           TEXT NOT NULL,
    status        TEXT NOT NULL,
    done_on       TEXT,
    weight        REAL NOT NULL,
    note          TEXT,
    UNIQUE (milestone_id, version)
);
CREATE INDEX milestone_revisions_by_time ON milestone_revisions (recorded_at);
