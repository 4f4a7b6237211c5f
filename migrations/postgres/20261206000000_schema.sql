-- Meilenstein on PostgreSQL: the schema SQLite reaches through `migrations/sqlite/`, in one
-- step (a PostgreSQL database starts with it; `meilenstein move-db` brings an existing city
-- over). The same tables, columns and rules; typed as PostgreSQL types them: identities, real
-- booleans, dates and times with time zone. Audit entries keep their time as the text they were
-- hashed with. Titles are checked by the application (trimmed, 1–300 characters); the
-- constraints here are the last line of defence. Ids are never reused (identities): they appear
-- in URLs, the open-data API and the revision history.

-- Refuses the change a trigger guards against, with the trigger's message.
CREATE FUNCTION meilenstein_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;

-- The strategy tree and its milestones. Every list keeps the order the city gave it
-- (`position`).
CREATE TABLE strategies (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    created_at   TIMESTAMPTZ NOT NULL,
    city         TEXT CHECK (city IS NULL OR length(city) BETWEEN 1 AND 300),
    period_from  INTEGER,
    period_to    INTEGER,
    description  TEXT
);

-- Nothing with history is deleted: a field, need or sub-goal is archived from a moment on
-- (`archived_at`), and restored by clearing it.
CREATE TABLE fields (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    strategy_id  BIGINT NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    goal         TEXT,
    archived_at  TIMESTAMPTZ,
    UNIQUE (strategy_id, position)
);

-- Projects and activities a field builds on ("Worauf wir aufbauen").
CREATE TABLE field_foundations (
    field_id  BIGINT NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    PRIMARY KEY (field_id, position)
);

CREATE TABLE needs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    field_id     BIGINT NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    archived_at  TIMESTAMPTZ,
    UNIQUE (field_id, position)
);

CREATE TABLE subgoals (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    need_id      BIGINT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    owner        TEXT,
    weight       DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight > 0),
    -- How often it is reported on (see `domain::rhythm`).
    rhythm       TEXT NOT NULL DEFAULT 'quarterly'
                 CHECK (rhythm IN ('monthly', 'quarterly', 'half_yearly')),
    archived_at  TIMESTAMPTZ,
    UNIQUE (need_id, position)
);

CREATE TABLE milestones (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subgoal_id  BIGINT NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    due         DATE NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    done_on     DATE,
    weight      DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight > 0),
    note        TEXT,
    -- Invented demo data, marked as such in the UI.
    example     BOOLEAN NOT NULL DEFAULT FALSE,
    -- Increases with every change; a save names the version it was based on.
    version     BIGINT NOT NULL DEFAULT 1,
    CHECK (status <> 'done' OR done_on IS NOT NULL)
);
CREATE INDEX milestones_by_subgoal ON milestones (subgoal_id, position);

-- Every state a milestone has had, with the time it was recorded, so that the state on any
-- past date can be rebuilt. Kept when the milestone itself is deleted.
CREATE TABLE milestone_revisions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    milestone_id  BIGINT NOT NULL,
    subgoal_id    BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    title         TEXT NOT NULL,
    due           DATE NOT NULL,
    status        TEXT NOT NULL,
    done_on       DATE,
    weight        DOUBLE PRECISION NOT NULL,
    note          TEXT,
    example       BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (milestone_id, version)
);
CREATE INDEX milestone_revisions_by_time ON milestone_revisions (recorded_at);
-- The first revision of each milestone holds the due date it was first planned for.
CREATE INDEX milestone_revisions_first ON milestone_revisions (subgoal_id, version);
-- The as-of rebuild finds each milestone's newest revision before a moment from this index.
CREATE INDEX milestone_revisions_as_of
    ON milestone_revisions (subgoal_id, recorded_at, milestone_id, version);

-- The structure's history: every state a field, need or sub-goal has had.
CREATE TABLE structure_revisions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('field', 'need', 'subgoal')),
    object_id    BIGINT NOT NULL,
    -- The strategy of a field, the field of a need, the need of a sub-goal.
    parent_id    BIGINT NOT NULL,
    position     BIGINT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    title        TEXT NOT NULL,
    -- A field's goal, a sub-goal's owner.
    detail       TEXT,
    -- A sub-goal's weight.
    weight       DOUBLE PRECISION,
    -- Whether it was archived from then on.
    archived     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX structure_revisions_by_parent ON structure_revisions (kind, parent_id);

-- Plan baselines: the due dates of a need's milestones as planned, fixed by an admin with a
-- reason. Every baseline is kept.
CREATE TABLE baselines (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    need_id      BIGINT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    recorded_at  TIMESTAMPTZ NOT NULL,
    -- Who fixed it (display name at the time).
    actor        TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 10000)
);
CREATE INDEX baselines_by_need ON baselines (need_id, recorded_at);

CREATE TABLE baseline_dates (
    baseline_id   BIGINT NOT NULL REFERENCES baselines (id) ON DELETE CASCADE,
    milestone_id  BIGINT NOT NULL,
    due           DATE NOT NULL,
    PRIMARY KEY (baseline_id, milestone_id)
);

-- Indicators (KPIs) of sub-goals. At most one indicator of a sub-goal measures its progress.
CREATE TABLE indicators (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subgoal_id         BIGINT NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    unit               TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 40),
    direction          TEXT NOT NULL CHECK (direction IN ('rising', 'falling')),
    baseline_value     DOUBLE PRECISION NOT NULL,
    baseline_on        DATE NOT NULL,
    target_value       DOUBLE PRECISION NOT NULL,
    target_on          DATE NOT NULL,
    measures_progress  BOOLEAN NOT NULL DEFAULT FALSE,
    -- Increases with every change; a save names the version it was based on.
    version            BIGINT NOT NULL DEFAULT 1,
    CHECK (target_value <> baseline_value)
);
CREATE INDEX indicators_by_subgoal ON indicators (subgoal_id, id);
CREATE UNIQUE INDEX indicators_one_measure ON indicators (subgoal_id) WHERE measures_progress;

CREATE TABLE indicator_revisions (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_id       BIGINT NOT NULL,
    subgoal_id         BIGINT NOT NULL,
    version            BIGINT NOT NULL,
    recorded_at        TIMESTAMPTZ NOT NULL,
    change             TEXT NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    name               TEXT NOT NULL,
    unit               TEXT NOT NULL,
    direction          TEXT NOT NULL,
    baseline_value     DOUBLE PRECISION NOT NULL,
    baseline_on        DATE NOT NULL,
    target_value       DOUBLE PRECISION NOT NULL,
    target_on          DATE NOT NULL,
    measures_progress  BOOLEAN NOT NULL,
    UNIQUE (indicator_id, version)
);
CREATE INDEX indicator_revisions_by_subgoal ON indicator_revisions (subgoal_id, recorded_at);

-- Readings are never changed: a wrong one is removed (`removed_at`) and a new one recorded.
CREATE TABLE indicator_readings (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_id  BIGINT NOT NULL,
    measured_on   DATE NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    note          TEXT,
    recorded_at   TIMESTAMPTZ NOT NULL,
    removed_at    TIMESTAMPTZ
);
CREATE INDEX indicator_readings_by_indicator ON indicator_readings (indicator_id, measured_on);

-- Who may do what: accounts with one role each, the sub-goals an owner answers for,
-- server-side sessions and settings. A login is unique whatever its case.
CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login          TEXT NOT NULL CHECK (length(login) BETWEEN 1 AND 64),
    display_name   TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'owner', 'viewer')),
    -- argon2id PHC string; never leaves the server.
    password_hash  TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL,
    email          TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    language       TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'))
);
CREATE UNIQUE INDEX users_login ON users (lower(login));

CREATE TABLE subgoal_owners (
    subgoal_id  BIGINT NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (subgoal_id, user_id)
);
CREATE INDEX subgoal_owners_by_user ON subgoal_owners (user_id);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash  BYTEA PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- The audit trail: every change, login, failed login and refused request, appended in the same
-- transaction as the change itself, each entry carrying the SHA-256 of the one before it
-- (`meilenstein audit verify`). `at` is the text the hash was made over. The application
-- cannot change or remove entries: the triggers refuse it.
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     BIGINT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    -- The sub-goal an entry concerns (milestones and sub-goals), for the history pages.
    subgoal_id   BIGINT,
    -- JSON: for changes {"field": [before, after], …}; otherwise details.
    details      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_by_subgoal ON audit_log (subgoal_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION meilenstein_refuse('the audit log is append-only');
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION meilenstein_refuse('the audit log is append-only');
CREATE TRIGGER audit_log_is_append_only_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION meilenstein_refuse('the audit log is append-only');

-- Reports to the council: a strategy frozen as it stood at the end of a cut-off day
-- (Stichtag). A report is never edited or deleted: it can only be withdrawn, once, with a
-- reason.
CREATE TABLE reports (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    strategy_id       BIGINT NOT NULL REFERENCES strategies (id),
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    stichtag          DATE NOT NULL,
    foreword          TEXT CHECK (length(foreword) <= 10000),
    made_at           TIMESTAMPTZ NOT NULL,
    -- Who made it (login or shell user at the time).
    made_by           TEXT NOT NULL,
    snapshot          TEXT NOT NULL,
    withdrawn_at      TIMESTAMPTZ,
    withdrawn_by      TEXT,
    withdrawn_reason  TEXT CHECK (length(withdrawn_reason) BETWEEN 1 AND 10000)
);
CREATE INDEX reports_by_strategy ON reports (strategy_id, stichtag);

CREATE TRIGGER reports_are_frozen BEFORE UPDATE OF
    strategy_id, name, stichtag, foreword, made_at, made_by, snapshot ON reports
    FOR EACH ROW EXECUTE FUNCTION meilenstein_refuse('a report is frozen');
CREATE TRIGGER reports_are_withdrawn_once BEFORE UPDATE OF
    withdrawn_at, withdrawn_by, withdrawn_reason ON reports
    FOR EACH ROW WHEN (OLD.withdrawn_at IS NOT NULL)
    EXECUTE FUNCTION meilenstein_refuse('a report is withdrawn once');
CREATE TRIGGER reports_are_kept BEFORE DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION meilenstein_refuse('a report is kept');

-- Status reports of the reporting rhythm: one row per sub-goal, day and kind.
CREATE TABLE status_reports (
    subgoal_id  BIGINT NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    -- The city's date of the report (the server's time zone).
    day         DATE NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('change', 'confirmation')),
    -- The latest report of this kind on that day and who made it.
    at          TIMESTAMPTZ NOT NULL,
    user_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note        TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000),
    PRIMARY KEY (subgoal_id, day, kind)
);

-- Reminders by e-mail: each day's digest of a person is kept in an outbox until the SMTP server
-- has taken it, and what each digest reminded of, so that nothing is reminded twice.
CREATE TABLE reminders (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day           DATE NOT NULL,
    recipient     TEXT NOT NULL,
    language      TEXT NOT NULL CHECK (language IN ('de', 'en')),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    next_attempt  TIMESTAMPTZ NOT NULL,
    sent_at       TIMESTAMPTZ,
    last_error    TEXT,
    UNIQUE (user_id, day)
);
CREATE INDEX reminders_waiting ON reminders (next_attempt) WHERE sent_at IS NULL;

CREATE TABLE reminder_items (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subgoal_id   BIGINT NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    deadline     DATE NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('soon', 'late')),
    round        BIGINT NOT NULL,
    reminder_id  BIGINT NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, subgoal_id, deadline, kind, round)
);

-- One number that grows with every change to any strategy's tree, in this process or another:
-- the server keeps loaded strategies in memory and reloads one only when this number has
-- moved. Kept by triggers, so no write path can forget it. It moves once per transaction that
-- changes a tree (its first changed row marks the transaction, in a setting local to it): the
-- one row updated for every changed row would pile up versions of itself in an import of many
-- thousand rows.
CREATE TABLE tree_version (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO tree_version (id, version) VALUES (1, 0);

CREATE FUNCTION meilenstein_tree_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('meilenstein.tree_changed', true) IS DISTINCT FROM 'yes' THEN
        UPDATE tree_version SET version = version + 1 WHERE id = 1;
        PERFORM set_config('meilenstein.tree_changed', 'yes', true);
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    tree_table TEXT;
BEGIN
    FOREACH tree_table IN ARRAY ARRAY['strategies', 'fields', 'field_foundations', 'needs',
        'subgoals', 'milestones', 'indicators', 'indicator_readings']
    LOOP
        EXECUTE format('CREATE TRIGGER tree_version_%1$s AFTER INSERT OR UPDATE OR DELETE ON %1$I
                        FOR EACH ROW EXECUTE FUNCTION meilenstein_tree_changed()',
                       tree_table);
    END LOOP;
END
$$;
