-- Setting up strategies in the browser (issue 19).
--
-- A strategy's city, period (years) and description, all optional: documents made before
-- this migration have none of them; the browser's form asks for city and period.
ALTER TABLE strategies ADD COLUMN city TEXT CHECK (city IS NULL OR length(city) BETWEEN 1 AND 300);
ALTER TABLE strategies ADD COLUMN period_from INTEGER;
ALTER TABLE strategies ADD COLUMN period_to INTEGER;
ALTER TABLE strategies ADD COLUMN description TEXT;

-- Nothing with history is deleted: a field, need or sub-goal is archived from a moment on
-- (UTC), and restored by clearing it. An archived part is left out of today's pages and
-- figures; past views before the moment still show it (its revisions say when).
ALTER TABLE fields ADD COLUMN archived_at TEXT;
ALTER TABLE needs ADD COLUMN archived_at TEXT;
ALTER TABLE subgoals ADD COLUMN archived_at TEXT;

-- Each revision of a part says whether it was archived from then on.
ALTER TABLE structure_revisions ADD COLUMN archived INTEGER NOT NULL DEFAULT 0
    CHECK (archived IN (0, 1));
