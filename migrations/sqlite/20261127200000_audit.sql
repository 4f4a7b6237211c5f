-- The audit trail: every change, login, failed login and refused request, appended in the same
-- transaction as the change itself. Each entry carries the SHA-256 of the one before it, so an
-- entry edited or removed directly in the database breaks the chain (`meilenstein audit
-- verify`). The application cannot change or remove entries: the triggers refuse it.

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    -- The sub-goal an entry concerns (milestones and sub-goals), for the history pages.
    subgoal_id   INTEGER,
    -- JSON: for changes {"field": [before, after], …}; otherwise details.
    details      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_by_subgoal ON audit_log (subgoal_id);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
