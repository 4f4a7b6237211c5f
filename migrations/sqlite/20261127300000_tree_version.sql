-- One number that grows with every change to any strategy's tree, in this process or another
-- (the CLI, a second tool): the server keeps loaded strategies in memory and reloads one only
-- when this number has moved. Kept by triggers, so no write path can forget it.
CREATE TABLE tree_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO tree_version (id, version) VALUES (1, 0);

CREATE TRIGGER tree_version_strategies_insert AFTER INSERT ON strategies
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_strategies_update AFTER UPDATE ON strategies
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_strategies_delete AFTER DELETE ON strategies
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_fields_insert AFTER INSERT ON fields
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_fields_update AFTER UPDATE ON fields
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_fields_delete AFTER DELETE ON fields
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_field_foundations_insert AFTER INSERT ON field_foundations
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_field_foundations_update AFTER UPDATE ON field_foundations
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_field_foundations_delete AFTER DELETE ON field_foundations
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_needs_insert AFTER INSERT ON needs
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_needs_update AFTER UPDATE ON needs
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_needs_delete AFTER DELETE ON needs
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_subgoals_insert AFTER INSERT ON subgoals
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_subgoals_update AFTER UPDATE ON subgoals
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_subgoals_delete AFTER DELETE ON subgoals
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_milestones_insert AFTER INSERT ON milestones
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_milestones_update AFTER UPDATE ON milestones
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tree_version_milestones_delete AFTER DELETE ON milestones
BEGIN
    UPDATE tree_version SET version = version + 1 WHERE id = 1;
END;
