"""A save's statements timed on SQLite alone, with the log checkpointed by the commits
(SQLite's default, every 1,000 pages) and without (issue 18: docs/PERFORMANCE.md, "checkpoints
beside the writes").

Runs on a copy of a database made by `meilenstein demo --scale N` (the copy is changed: milestones
are added), in WAL mode with synchronous=FULL as the server opens it, and prints the p50, p99 and
maximum of a transaction of 1, 4 and 10 saves (the statements of `Store::record_milestone`,
written together) for each way.

    cp big.db /tmp/copy.db && python3 bench/checkpoints.py /tmp/copy.db
"""

import os
import random
import sqlite3
import sys
import time

DATA_VERSION = ("SELECT (SELECT version FROM tree_version WHERE id = 1),"
                " (SELECT COALESCE(MAX(id), 0) FROM audit_log)")


def saves(conn, count, subgoals, n):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(DATA_VERSION).fetchone()
    conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    for _ in range(n):
        subgoal = random.choice(subgoals)
        conn.execute("SELECT need_id FROM subgoals WHERE id = ?", (subgoal,)).fetchone()
        milestone = conn.execute(
            "INSERT INTO milestones (subgoal_id, position, title, due, status, done_on, weight,"
            " note, example, version) VALUES (?1, (SELECT COALESCE(MAX(position) + 1, 0)"
            " FROM milestones WHERE subgoal_id = ?1), ?2, '2030-01-31', 'planned', NULL, 1,"
            " '', 0, 1) RETURNING id", (subgoal, f"Messung {count}")).fetchone()[0]
        conn.execute(
            "INSERT INTO milestone_revisions (milestone_id, subgoal_id, version, recorded_at,"
            " change, title, due, status, done_on, weight, note, example) VALUES (?, ?, 1,"
            " '2026-12-07T20:00:00.123456+00:00', 'created', ?, '2030-01-31', 'planned', NULL,"
            " 1, '', 0)", (milestone, subgoal, f"Messung {count}"))
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id,"
            " subgoal_id, details, prev_hash, hash) VALUES ('2026-12-07T20:00:00.123456Z', NULL,"
            " 'Messung', 'milestone.created', 'milestone', ?, ?, '{}', ?, ?)",
            (str(milestone), subgoal, os.urandom(32).hex(), os.urandom(32).hex()))
    conn.execute(DATA_VERSION).fetchone()
    conn.execute("COMMIT")


def main():
    path = sys.argv[1]
    for way, pages in (("checkpointed by the commits (every 1,000 pages)", 1000),
                       ("not checkpointed by the commits", 0)):
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        subgoals = [row[0] for row in conn.execute("SELECT id FROM subgoals")]
        print(way)
        for n in (1, 4, 10):
            took = []
            for count in range(300):
                start = time.perf_counter()
                saves(conn, count, subgoals, n)
                took.append((time.perf_counter() - start) * 1000)
            took.sort()
            print(f"  {n:2} saves a transaction: p50 {took[150]:.2f} ms, p99 {took[297]:.2f} ms,"
                  f" max {took[-1]:.2f} ms")
        # What the other way left in the log is copied now, not in the next one's figures.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


main()
