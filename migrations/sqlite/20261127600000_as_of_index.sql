-- The as-of rebuild finds each milestone's newest revision before a moment from this index
-- alone (no table rows read for the revisions it passes over), then reads only the winners.
DROP INDEX IF EXISTS milestone_revisions_by_subgoal;
CREATE INDEX milestone_revisions_as_of
    ON milestone_revisions (subgoal_id, recorded_at, milestone_id, version);
