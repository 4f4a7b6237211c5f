-- Reminders by e-mail (issue 15): accounts get an address and a language; each day's digest
-- of a person is kept in an outbox until the SMTP server has taken it (retried with a growing
-- pause, never dropped), and what each digest reminded of, so that nothing is reminded twice.

ALTER TABLE users ADD COLUMN email TEXT
    CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'de'
    CHECK (language IN ('de', 'en'));

CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The city's date the digest is for: one per person and day.
    day           TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    language      TEXT NOT NULL CHECK (language IN ('de', 'en')),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TEXT NOT NULL,
    sent_at       TEXT,
    last_error    TEXT,
    UNIQUE (user_id, day)
);
CREATE INDEX reminders_waiting ON reminders (next_attempt) WHERE sent_at IS NULL;

-- One row per thing reminded of: a sub-goal's report due soon (round 0) or late (round n for
-- the n-th week of lateness), for the period whose deadline it names.
CREATE TABLE reminder_items (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subgoal_id   INTEGER NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    deadline     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('soon', 'late')),
    round        INTEGER NOT NULL,
    reminder_id  INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, subgoal_id, deadline, kind, round)
);
