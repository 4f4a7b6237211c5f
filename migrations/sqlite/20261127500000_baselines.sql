-- Plan baselines: the due dates of a need's milestones as planned, fixed by an admin with a
-- reason. Every baseline is kept; the latest one recorded before a moment is the plan at that
-- moment. A milestone in no baseline is planned for the due date it was first recorded with
-- (its first revision).
CREATE TABLE baselines (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    need_id      INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    recorded_at  TEXT NOT NULL,
    -- Who fixed it (display name at the time).
    actor        TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 10000)
);
CREATE INDEX baselines_by_need ON baselines (need_id, recorded_at);

CREATE TABLE baseline_dates (
    baseline_id   INTEGER NOT NULL REFERENCES baselines (id) ON DELETE CASCADE,
    milestone_id  INTEGER NOT NULL,
    due           TEXT NOT NULL,
    PRIMARY KEY (baseline_id, milestone_id)
);

-- The first revision of each milestone holds the due date it was first planned for.
CREATE INDEX milestone_revisions_first ON milestone_revisions (subgoal_id, version);
