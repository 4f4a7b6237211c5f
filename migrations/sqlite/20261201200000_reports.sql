-- Reports to the council: a strategy frozen as it stood at the end of a cut-off day
-- (Stichtag). `snapshot` holds what the report shows (JSON: the strategy tree then, the planned
-- dates, the Stichtag; see `domain::report::Snapshot`), stored when the report is made. A
-- report is never edited or deleted: it can only be withdrawn, once, with a reason. The
-- triggers refuse anything else.
CREATE TABLE reports (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id       INTEGER NOT NULL REFERENCES strategies (id),
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    stichtag          TEXT NOT NULL,
    foreword          TEXT CHECK (length(foreword) <= 10000),
    made_at           TEXT NOT NULL,
    -- Who made it (login or shell user at the time).
    made_by           TEXT NOT NULL,
    snapshot          TEXT NOT NULL,
    withdrawn_at      TEXT,
    withdrawn_by      TEXT,
    withdrawn_reason  TEXT CHECK (length(withdrawn_reason) BETWEEN 1 AND 10000)
);
CREATE INDEX reports_by_strategy ON reports (strategy_id, stichtag);

CREATE TRIGGER reports_are_frozen BEFORE UPDATE OF
    strategy_id, name, stichtag, foreword, made_at, made_by, snapshot ON reports
BEGIN
    SELECT RAISE(ABORT, 'a report is frozen');
END;

CREATE TRIGGER reports_are_withdrawn_once BEFORE UPDATE OF
    withdrawn_at, withdrawn_by, withdrawn_reason ON reports
    WHEN OLD.withdrawn_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a report is withdrawn once');
END;

CREATE TRIGGER reports_are_kept BEFORE DELETE ON reports
BEGIN
    SELECT RAISE(ABORT, 'a report is kept');
END;
