-- The reporting rhythm (see `domain::rhythm`): how often each sub-goal is reported on, and the
-- status reports themselves. A status report is any change to a sub-goal's milestones or
-- indicators by a signed-in account, or a confirmation that nothing changed ("Stand
-- bestätigen", with an optional note). One row per sub-goal, day and kind: a day's second
-- change adds nothing the rhythm needs (the audit trail keeps every change and every note).

ALTER TABLE subgoals ADD COLUMN rhythm TEXT NOT NULL DEFAULT 'quarterly'
    CHECK (rhythm IN ('monthly', 'quarterly', 'half_yearly'));

CREATE TABLE status_reports (
    subgoal_id  INTEGER NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    -- The city's date of the report (the server's time zone), YYYY-MM-DD.
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('change', 'confirmation')),
    -- The latest report of this kind on that day (UTC) and who made it.
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note        TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000),
    PRIMARY KEY (subgoal_id, day, kind)
);

-- Changes made before this migration by signed-in accounts count as the reports they were.
INSERT OR IGNORE INTO status_reports (subgoal_id, day, kind, at, user_id)
SELECT a.subgoal_id, date(a.at, 'localtime'), 'change', MAX(a.at), a.actor_id
FROM audit_log a
WHERE a.actor_id IN (SELECT id FROM users)
  AND a.subgoal_id IN (SELECT id FROM subgoals)
  AND a.object_type IN ('milestone', 'indicator')
GROUP BY a.subgoal_id, date(a.at, 'localtime');
