-- The structure's history: every state a field, need or sub-goal has had, with the time it was
-- recorded (UTC), so that the whole strategy can be rebuilt as it was shown on any past date.
-- Fields, needs and sub-goals are not deleted, so there is no "deleted" state.
CREATE TABLE structure_revisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('field', 'need', 'subgoal')),
    object_id    INTEGER NOT NULL,
    -- The strategy of a field, the field of a need, the need of a sub-goal.
    parent_id    INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    title        TEXT NOT NULL,
    -- A field's goal, a sub-goal's owner.
    detail       TEXT,
    -- A sub-goal's weight.
    weight       REAL
);
CREATE INDEX structure_revisions_by_parent ON structure_revisions (kind, parent_id);

-- Databases made before this migration: each node as it is now, recorded when it was created
-- (its audit entry if it was added later, else when its strategy was imported). Earlier
-- renames of those nodes were kept only in the audit trail.
INSERT INTO structure_revisions (kind, object_id, parent_id, position, recorded_at, title, detail)
SELECT 'field', f.id, f.strategy_id, f.position, s.created_at, f.title, f.goal
FROM fields f JOIN strategies s ON s.id = f.strategy_id
ORDER BY f.id;

INSERT INTO structure_revisions (kind, object_id, parent_id, position, recorded_at, title)
SELECT 'need', n.id, n.field_id, n.position,
       COALESCE((SELECT MIN(a.at) FROM audit_log a
                 WHERE a.action = 'need.created' AND a.object_id = CAST(n.id AS TEXT)),
                s.created_at),
       n.title
FROM needs n JOIN fields f ON f.id = n.field_id JOIN strategies s ON s.id = f.strategy_id
ORDER BY n.id;

INSERT INTO structure_revisions (kind, object_id, parent_id, position, recorded_at, title, detail, weight)
SELECT 'subgoal', g.id, g.need_id, g.position,
       COALESCE((SELECT MIN(a.at) FROM audit_log a
                 WHERE a.action = 'subgoal.created' AND a.object_id = CAST(g.id AS TEXT)),
                s.created_at),
       g.title, g.owner, g.weight
FROM subgoals g JOIN needs n ON n.id = g.need_id JOIN fields f ON f.id = n.field_id
JOIN strategies s ON s.id = f.strategy_id
ORDER BY g.id;

-- Whether a milestone revision is invented demo data, so a past view marks it as today's does.
ALTER TABLE milestone_revisions ADD COLUMN example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1));
UPDATE milestone_revisions SET example = 1
WHERE milestone_id IN (SELECT id FROM milestones WHERE example = 1);

-- The as-of rebuild reads one strategy's revisions recorded before a moment.
CREATE INDEX milestone_revisions_by_subgoal ON milestone_revisions (subgoal_id, recorded_at);
