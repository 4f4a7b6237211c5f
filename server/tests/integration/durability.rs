//! Nothing acknowledged is lost: concurrent editors of the same milestones, and a server
//! killed (SIGKILL) at random moments while a client records milestones.

use crate::common;
use app::store::db;

use common::{Server, TestApp};
use std::{
    collections::HashMap,
    io::{Read, Write},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// A tiny deterministic generator (xorshift) for timings and choices.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// An acknowledged save: which milestone, the version it was based on, the note it wrote.
#[derive(Clone, Debug)]
struct Ack {
    milestone: i64,
    based_on: i64,
    note: String,
}

#[test]
fn twenty_concurrent_editors_on_five_milestones_lose_nothing() {
    common::run(async {
        let app = Arc::new(TestApp::with_demo().await);
        let session = app.sign_in("cdo").await;
        let ids: Vec<i64> = db::query_scalar(
            "SELECT id FROM milestones WHERE status <> 'done' ORDER BY id LIMIT 5",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(ids.len(), 5);
        let mut initial = HashMap::new();
        for id in &ids {
            let (_, m) = app.store.milestone(*id).await.unwrap().unwrap();
            initial.insert(*id, m);
        }

        let mut editors = Vec::new();
        for editor in 0..20u64 {
            let (app, session, ids) = (app.clone(), session.clone(), ids.clone());
            editors.push(tokio::spawn(async move {
                let mut dice = Dice(editor * 7919 + 1);
                let (mut acks, mut conflicts) = (Vec::new(), 0);
                for save in 0..8 {
                    let id = ids[dice.below(ids.len() as u64) as usize];
                    // Load the form, then save it: another editor may have saved meanwhile.
                    let (_, loaded) = app.store.milestone(id).await.unwrap().unwrap();
                    tokio::task::yield_now().await;
                    let note = format!("Bearbeiter {editor}, Speichern {save}");
                    let d = &loaded.data;
                    let form = format!(
                        "id={id}&version={}&title={}&due={}&status=in_progress&done_on=&weight=1&note={}",
                        loaded.version,
                        d.title.replace(' ', "+"),
                        d.due,
                        note.replace(' ', "+").replace(',', "%2C"),
                    );
                    let (status, body) = app
                        .call_as(Some(&session), "/api/milestones/edit", &form)
                        .await;
                    match status {
                        200 => acks.push(Ack {
                            milestone: id,
                            based_on: loaded.version,
                            note,
                        }),
                        409 => conflicts += 1,
                        other => panic!("editor {editor}: {other} {body}"),
                    }
                }
                (acks, conflicts)
            }));
        }
        let (mut acks, mut conflicts) = (Vec::new(), 0);
        for editor in editors {
            let (a, c) = editor.await.unwrap();
            acks.extend(a);
            conflicts += c;
        }
        assert_eq!(acks.len() + conflicts, 160, "every save answered");
        assert!(!acks.is_empty());

        for id in &ids {
            let mut mine: Vec<&Ack> = acks.iter().filter(|a| a.milestone == *id).collect();
            mine.sort_by_key(|a| a.based_on);
            let start = initial[id].version;
            let based: Vec<i64> = mine.iter().map(|a| a.based_on).collect();
            let expected: Vec<i64> = (start..start + mine.len() as i64).collect();
            assert_eq!(
                based, expected,
                "milestone {id}: each version was saved over once, none twice (no lost update)"
            );
            let (_, now) = app.store.milestone(*id).await.unwrap().unwrap();
            assert_eq!(now.version, start + mine.len() as i64);
            let last = mine.last().map(|a| a.note.clone());
            assert_eq!(
                now.data.note,
                last.or(initial[id].data.note.clone()),
                "milestone {id} ends as its last acknowledged save"
            );
            let revisions: i64 = db::query_scalar(
                "SELECT COUNT(*) FROM milestone_revisions WHERE milestone_id = $1",
            )
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
            assert_eq!(revisions, now.version, "one revision per version");
        }
    })
}

/// Eight writers, each with its own connections to the database as eight server processes
/// would have, record milestones in one sub-goal at once, while `meilenstein import` runs
/// beside them in processes of its own: the audit chain stays one chain (no two entries
/// follow the same one), every entry is there, and no position is taken twice.
#[test]
fn eight_writers_of_their_own_leave_one_unforked_audit_chain() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal: i64 = db::query_scalar("SELECT MIN(id) FROM subgoals")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let entries_before = app.store.audit_entries().await.unwrap().len();
        let exported = common::meilenstein(&["export", "--db", app.db(), "--strategy", "1"]).1;
        let document = app.dir.path().join("strategy.json");
        std::fs::write(&document, exported).unwrap();

        let importers: Vec<_> = (0..2)
            .map(|_| {
                let (db, document) = (app.db().to_owned(), document.clone());
                std::thread::spawn(move || {
                    for _ in 0..3 {
                        let (code, _, err) = common::meilenstein(&[
                            "import",
                            document.to_str().unwrap(),
                            "--db",
                            &db,
                        ]);
                        assert_eq!(code, 0, "{err}");
                    }
                })
            })
            .collect();
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let db = app.db().to_owned();
                tokio::spawn(async move {
                    let store = app::store::Store::open(&db).await.unwrap();
                    for n in 0..10 {
                        let data = app::domain::MilestoneData {
                            title: format!("Schreiber {writer}, Nr. {n}"),
                            due: common::parse_day("2027-06-30"),
                            status: app::domain::Status::Planned,
                            done_on: None,
                            weight: 1.0,
                            note: None,
                        };
                        store
                            .record_milestone(
                                subgoal,
                                &data,
                                chrono::Utc::now(),
                                &app::audit::Actor::system(),
                            )
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        for importer in importers {
            importer.join().unwrap();
        }

        let entries = app.store.audit_entries().await.unwrap();
        assert_eq!(
            entries.len(),
            entries_before + 80 + 6,
            "every write is on record"
        );
        assert!(matches!(
            app::audit::verify(&entries),
            app::audit::Verdict::Intact { .. }
        ));
        let (code, out, err) = common::meilenstein(&["audit", "verify", "--db", app.db()]);
        assert_eq!(code, 0, "{out}{err}");
        let (rows, positions): (i64, i64) = db::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT position) FROM milestones WHERE subgoal_id = $1",
        )
        .bind(subgoal)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert_eq!(rows, positions, "each milestone has a place of its own");
        let strategies: i64 = db::query_scalar("SELECT COUNT(*) FROM strategies")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(strategies, 7);
    })
}

/// One HTTP/1.1 POST; `None` when the connection broke (the server was killed).
fn post(addr: &str, path: &str, cookie: &str, form: &str) -> Option<(u16, String, String)> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Cookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    Some((status, body.to_owned(), cookie))
}

#[test]
fn milestones_acknowledged_before_a_kill_are_all_there_after_restarts() {
    let scratch = common::scratch();
    let db = scratch.location().to_owned();
    let server = Arc::new(Mutex::new(Some(Server::start(&db))));
    let addr = || server.lock().unwrap().as_ref().map(|s| s.addr.clone());

    let login = "login=cdo&password=gutenberg-druckt-2026";
    let (status, _, cookie) = post(&addr().unwrap(), "/api/auth/login", "", login).unwrap();
    assert_eq!(status, 200);
    assert!(!cookie.is_empty());

    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let (server, done, db) = (server.clone(), done.clone(), db.clone());
        std::thread::spawn(move || {
            let mut dice = Dice(0x5eed);
            let mut kills = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                // Each server lives 0.1 to 0.6 s: long enough, after a start on a busy machine
                // (PostgreSQL's connections and migration check take longer than SQLite's),
                // for writes to be acknowledged between the kills.
                std::thread::sleep(Duration::from_millis(100 + dice.below(500)));
                let old = server.lock().unwrap().take();
                if let Some(old) = old {
                    old.kill();
                    kills += 1;
                }
                let new = Server::start(&db);
                *server.lock().unwrap() = Some(new);
            }
            kills
        })
    };

    let started = Instant::now();
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    let (mut attempt, mut unanswered) = (0, 0);
    while acknowledged.len() < 1_000 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "only {} acknowledged in 5 minutes",
            acknowledged.len()
        );
        attempt += 1;
        let title = format!("Meilenstein+Versuch+{attempt}");
        let form =
            format!("subgoal_id=1&title={title}&due=2027-01-31&status=planned&weight=1&note=");
        let Some(addr) = addr() else {
            // Being restarted.
            std::thread::sleep(Duration::from_millis(5));
            continue;
        };
        match post(&addr, "/api/milestones/record", &cookie, &form) {
            Some((200, body, _)) => {
                let id: i64 = body.trim().parse().expect("the new milestone's id");
                acknowledged.push((id, title.replace('+', " ")));
            }
            Some((status, body, _)) if status >= 500 || status == 400 || status == 401 => {
                panic!("attempt {attempt}: {status} {body}")
            }
            // Refused mid-shutdown or the connection broke: not acknowledged, try again.
            _ => {
                unanswered += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let kills = killer.join().unwrap();
    if let Some(last) = server.lock().unwrap().take() {
        last.kill();
    }
    assert!(kills >= 3, "the server was killed {kills} times");
    eprintln!(
        "{} milestones acknowledged in {attempt} attempts ({unanswered} unanswered), \
         server killed {kills} times",
        acknowledged.len()
    );

    common::run(async move {
        let store = app::store::Store::open(&db).await.unwrap();
        if store.pool().engine() == db::Engine::Sqlite {
            let verdict: String = db::query_scalar("PRAGMA integrity_check")
                .fetch_one(store.pool())
                .await
                .unwrap();
            assert_eq!(verdict, "ok");
        }
        for (id, title) in &acknowledged {
            let (_, milestone) = store
                .milestone(*id)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged milestone {id} is missing"));
            assert_eq!(&milestone.data.title, title);
        }
        // Nothing half-written: every recorded milestone has its first revision and its audit
        // entry (the demo's own milestones came in with the demo's import entry).
        let recorded: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM milestones WHERE title LIKE 'Meilenstein Versuch %'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(recorded >= acknowledged.len() as i64);
        let orphans: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM milestones m WHERE m.title LIKE 'Meilenstein Versuch %' AND (
               NOT EXISTS (SELECT 1 FROM milestone_revisions r WHERE r.milestone_id = m.id)
               OR NOT EXISTS (SELECT 1 FROM audit_log a
                 WHERE a.object_type = 'milestone' AND a.object_id = CAST(m.id AS TEXT)))",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(orphans, 0);
        let entries = store.audit_entries().await.unwrap();
        assert!(
            matches!(
                app::audit::verify(&entries),
                app::audit::Verdict::Intact { .. }
            ),
            "the audit chain is whole"
        );
    });
}
