-- Indicators (KPIs) of sub-goals, e.g. "Schulen mit WLAN: 12 → 65". The rules (target not
-- equal to the baseline, target on the side the direction calls good, readings not before
-- the baseline) are checked by the application; the constraints here are the last line of
-- defence. At most one indicator of a sub-goal measures its progress (`measures_progress`);
-- without one, the sub-goal's milestones do.
CREATE TABLE indicators (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    subgoal_id         INTEGER NOT NULL REFERENCES subgoals (id) ON DELETE CASCADE,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    unit               TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 40),
    direction          TEXT NOT NULL CHECK (direction IN ('rising', 'falling')),
    baseline_value     REAL NOT NULL,
    baseline_on        TEXT NOT NULL,
    target_value       REAL NOT NULL,
    target_on          TEXT NOT NULL,
    measures_progress  INTEGER NOT NULL DEFAULT 0 CHECK (measures_progress IN (0, 1)),
    -- Increases with every change; a save names the version it was based on.
    version            INTEGER NOT NULL DEFAULT 1,
    CHECK (target_value <> baseline_value)
);
CREATE INDEX indicators_by_subgoal ON indicators (subgoal_id, id);
CREATE UNIQUE INDEX indicators_one_measure ON indicators (subgoal_id) WHERE measures_progress = 1;

-- Every state an indicator has had, with the time it was recorded (UTC), like
-- `milestone_revisions`: kept when the indicator is deleted.
CREATE TABLE indicator_revisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator_id       INTEGER NOT NULL,
    subgoal_id         INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    recorded_at        TEXT NOT NULL,
    change             TEXT NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    name               TEXT NOT NULL,
    unit               TEXT NOT NULL,
    direction          TEXT NOT NULL,
    baseline_value     REAL NOT NULL,
    baseline_on        TEXT NOT NULL,
    target_value       REAL NOT NULL,
    target_on          TEXT NOT NULL,
    measures_progress  INTEGER NOT NULL,
    UNIQUE (indicator_id, version)
);
CREATE INDEX indicator_revisions_by_subgoal ON indicator_revisions (subgoal_id, recorded_at);

-- Readings are never changed: a wrong one is removed (`removed_at`) and a new one recorded, so
-- every reading once shown stays on record. Kept when their indicator is deleted.
CREATE TABLE indicator_readings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator_id  INTEGER NOT NULL,
    measured_on   TEXT NOT NULL,
    value         REAL NOT NULL,
    note          TEXT,
    recorded_at   TEXT NOT NULL,
    removed_at    TEXT
);
CREATE INDEX indicator_readings_by_indicator ON indicator_readings (indicator_id, measured_on);

CREATE TRIGGER tree_version_indicators_insert AFTER INSERT ON indicators
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_indicators_update AFTER UPDATE ON indicators
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_indicators_delete AFTER DELETE ON indicators
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_indicator_readings_insert AFTER INSERT ON indicator_readings
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_indicator_readings_update AFTER UPDATE ON indicator_readings
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;
