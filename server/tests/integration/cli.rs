//! The `meilenstein` command line: import, export, and refusing bad documents whole.

use crate::common;

use app::store::db::Engine;
use serde_json::{Value, json};
use std::{path::Path, process::Command};

fn meilenstein(args: &[&str]) -> (i32, String, String) {
    meilenstein_with_input(args, "")
}

/// Runs the binary with `input` on standard input (how scripts give a password).
fn meilenstein_with_input(args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("MEILENSTEIN_TODAY", "2026-11-27")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    common::outcome(child.wait_with_output().unwrap())
}

fn document() -> Value {
    json!({"format": "meilenstein/1",
      "strategy": {"title": "Digitalstrategie Musterstadt", "fields": [
        {"title": "Verwaltung", "needs": [
          {"title": "Online-Dienste", "subgoals": [
            {"title": "Anträge online", "owner": "Bürgeramt", "weight": 2, "milestones": [
              {"title": "Wohngeld online", "due": "2026-06-30", "status": "done", "done_on": "2026-06-12"},
              {"title": "Elterngeld online", "due": "2026-09-30", "status": "in_progress", "weight": 3,
               "note": "Pilot läuft"}]},
            {"title": "Termine online"}]}]}]}})
}

fn write(dir: &Path, name: &str, value: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, value).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn help_describes_every_command() {
    let (code, out, _) = meilenstein(&["--help"]);
    assert_eq!(code, 0);
    for command in [
        "serve", "import", "export", "user", "setting", "audit", "demo", "backup", "report",
        "template", "update", "remind", "move-db",
    ] {
        assert!(out.contains(command), "{out}");
    }
    let (code, out, _) = meilenstein(&["serve", "--help"]);
    assert_eq!(code, 0);
    for option in [
        "--addr",
        "--db",
        "--no-demo",
        "DATABASE_URL",
        "--smtp-host",
        "MEILENSTEIN_SMTP_PASSWORD_FILE",
        "--mail-from",
    ] {
        assert!(out.contains(option), "{out}");
    }
}

#[test]
fn import_then_export_then_import_gives_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let first = common::scratch();
    let first_db = first.location();
    let file = write(dir.path(), "doc.json", &document().to_string());
    let (code, out, err) = meilenstein(&["import", &file, "--db", first_db]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported strategy 1"), "{out}");

    let (code, exported, err) = meilenstein(&["export", "--db", first_db]);
    assert_eq!(code, 0, "{err}");
    let exported: Value = serde_json::from_str(&exported).unwrap();
    let subgoal = &exported["strategy"]["fields"][0]["needs"][0]["subgoals"][0];
    assert_eq!(subgoal["progress"], json!(25));
    assert_eq!(subgoal["milestones"][1]["overdue"], json!(true));
    assert_eq!(
        exported["strategy"]["fields"][0]["needs"][0]["subgoals"][1]["progress"],
        Value::Null
    );

    let second = common::scratch();
    let second_db = second.location();
    let again = write(dir.path(), "again.json", &exported.to_string());
    let (code, _, err) = meilenstein(&["import", &again, "--db", second_db]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = meilenstein(&["export", "--db", second_db]);
    assert_eq!(serde_json::from_str::<Value>(&second).unwrap(), exported);
}

#[test]
fn with_several_strategies_export_needs_to_be_told_which() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = common::scratch();
    let db = scratch.location();
    let file = write(dir.path(), "doc.json", &document().to_string());
    meilenstein(&["import", &file, "--db", db]);
    meilenstein(&["import", &file, "--db", db]);
    let (code, _, err) = meilenstein(&["export", "--db", db]);
    assert_ne!(code, 0);
    assert!(err.contains("--strategy"), "{err}");
    let (code, out, _) = meilenstein(&["export", "--db", db, "--strategy", "2"]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["strategy"]["id"],
        2
    );
    let (code, _, err) = meilenstein(&["export", "--db", db, "--strategy", "7"]);
    assert_ne!(code, 0);
    assert!(err.contains("no strategy with id 7"), "{err}");
}

#[test]
fn a_bad_document_is_refused_whole_with_its_path_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let scratch = common::scratch();
    let db_str = scratch.location();
    let good = write(dir.path(), "good.json", &document().to_string());
    meilenstein(&["import", &good, "--db", db_str]);
    let (_, before, _) = meilenstein(&["export", "--db", db_str]);

    let milestone = |key: &str, value: Value| {
        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["milestones"][1][key] = value;
        doc.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("{\"format\": ".to_owned(), "format: EOF while parsing"),
        (
            milestone("due", json!("2026-02-30")),
            r#"strategy.fields[0].needs[0].subgoals[0].milestones[1].due: not a date: "2026-02-30""#,
        ),
        (
            milestone("status", json!("finished")),
            r#"strategy.fields[0].needs[0].subgoals[0].milestones[1].status: unknown status "finished""#,
        ),
        (
            milestone("weight", json!(0)),
            "strategy.fields[0].needs[0].subgoals[0].milestones[1].weight: must be greater than 0",
        ),
        (
            milestone("status", json!("done")),
            "strategy.fields[0].needs[0].subgoals[0].milestones[1].done_on: required when the status is done",
        ),
        (
            milestone("colour", json!("red")),
            "strategy.fields[0].needs[0].subgoals[0].milestones[1].colour: unknown field `colour`",
        ),
        (
            milestone("title", json!("x".repeat(301))),
            "strategy.fields[0].needs[0].subgoals[0].milestones[1].title: longer than 300 characters",
        ),
        (
            {
                let mut doc = document();
                doc["strategy"]["fields"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("title");
                doc.to_string()
            },
            "strategy.fields[0]: missing field `title`",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.json"), text);
        let (code, _, err) = meilenstein(&["import", &file, "--db", db_str]);
        assert_ne!(code, 0, "case {i} accepted");
        assert!(
            err.contains(expected),
            "case {i}: expected {expected:?} in {err:?}"
        );
        assert!(err.contains("nothing imported"), "{err}");
    }
    let (_, after, _) = meilenstein(&["export", "--db", db_str]);
    assert_eq!(before, after);
    let (code, _, _) = meilenstein(&["export", "--db", db_str, "--strategy", "2"]);
    assert_ne!(code, 0, "no second strategy was added");

    // A refused document does not even create a database (or, on PostgreSQL, its tables).
    let fresh = common::scratch();
    let bad = write(
        dir.path(),
        "bad.json",
        &milestone("due", json!("2026-02-30")),
    );
    let (code, _, _) = meilenstein(&["import", &bad, "--db", fresh.location()]);
    assert_ne!(code, 0);
    match fresh.engine() {
        Engine::Sqlite => assert!(!std::path::Path::new(fresh.location()).exists()),
        Engine::Postgres => {
            let tables: i64 = common::run({
                let location = fresh.location().to_owned();
                async move {
                    let pool = sqlx::PgPool::connect(&location).await.unwrap();
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
                    )
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                }
            });
            assert_eq!(tables, 0);
        }
    }
}

#[test]
fn missing_files_and_databases_are_clear_errors() {
    let scratch = common::scratch();
    let (code, _, err) = meilenstein(&[
        "import",
        "/nonexistent/doc.json",
        "--db",
        scratch.location(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot read /nonexistent/doc.json"), "{err}");
    // A database that is not there: a SQLite file, or a database the PostgreSQL server lacks.
    let missing = match scratch.engine() {
        Engine::Sqlite => format!("{}-missing", scratch.location()),
        Engine::Postgres => format!("{}_missing", scratch.location()),
    };
    let dir = tempfile::tempdir().unwrap();
    let never = dir.path().join("never.bak");
    for command in ["export", "backup", "report"] {
        let mut args = vec![command, "--db", &missing];
        match command {
            "backup" => args.extend(["--to", never.to_str().unwrap()]),
            "report" => args.push("list"),
            _ => {}
        }
        let (code, _, err) = meilenstein(&args);
        assert_ne!(code, 0, "{command}");
        match scratch.engine() {
            Engine::Sqlite => assert!(err.contains("no database at"), "{command}: {err}"),
            Engine::Postgres => assert!(err.contains("does not exist"), "{command}: {err}"),
        }
    }
    assert!(!never.exists(), "a failed backup leaves no file");
    let (code, _, err) = meilenstein(&["audit", "verify", "--db", &missing]);
    assert_ne!(code, 0);
    assert!(
        err.contains("_missing") || err.contains("-missing"),
        "{err}"
    );
}

#[test]
fn accounts_are_managed_from_the_shell() {
    let scratch = common::scratch();
    let db = scratch.location();
    let (code, out, err) = meilenstein_with_input(
        &[
            "user",
            "add",
            "Admin",
            "--name",
            "CDO-Büro",
            "--role",
            "admin",
            "--db",
            db,
        ],
        "Zitadelle und Rheinufer\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added admin (admin)"), "{out}");

    let (code, _, err) = meilenstein_with_input(
        &[
            "user", "add", "schule", "--name", "Schulamt", "--role", "owner", "--db", db,
        ],
        "passwort1234\n",
    );
    assert_ne!(code, 0);
    assert!(err.contains("password: too common"), "{err}");
    let (code, _, err) = meilenstein_with_input(
        &[
            "user", "add", "schule", "--name", "Schulamt", "--role", "owner", "--db", db,
        ],
        "kurz\n",
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("password: shorter than 12 characters"),
        "{err}"
    );
    let (code, _, err) = meilenstein_with_input(
        &[
            "user", "add", "ADMIN", "--name", "Zweiter", "--role", "viewer", "--db", db,
        ],
        "Zitadelle und Rheinufer 2\n",
    );
    assert_ne!(code, 0);
    assert!(err.contains("already taken"), "{err}");

    let (code, out, _) = meilenstein(&["user", "list", "--db", db]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "admin\tadmin\tactive\tCDO-Büro\t-\tde");

    let (code, out, err) = meilenstein_with_input(
        &["user", "passwd", "admin", "--db", db],
        "Neues langes Passwort 2027\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sessions ended"));
    let (code, _, _) = meilenstein(&["user", "disable", "admin", "--db", db]);
    assert_eq!(code, 0);
    let (_, out, _) = meilenstein(&["user", "list", "--db", db]);
    assert!(out.contains("\tdisabled\t"), "{out}");
    let (code, _, err) = meilenstein(&["user", "disable", "nobody", "--db", db]);
    assert_ne!(code, 0);
    assert!(err.contains("no user nobody"), "{err}");

    let (code, out, _) = meilenstein(&["setting", "public-read", "on", "--db", db]);
    assert_eq!((code, out.trim()), (0, "public-read = on"));
    let (code, out, _) = meilenstein(&["setting", "report-grace-days", " 21 ", "--db", db]);
    assert_eq!((code, out.trim()), (0, "report-grace-days = 21"));
    for bad in ["91", "zwei", "1.5", ""] {
        let (code, _, err) = meilenstein(&["setting", "report-grace-days", bad, "--db", db]);
        assert_ne!(code, 0, "{bad:?}");
        assert!(err.contains("report-grace-days"), "{bad:?}: {err}");
    }
}

/// Sends one plain HTTP/1.1 request and returns the response's status line and body.
fn http(addr: &str, request: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

#[test]
fn serve_fills_a_new_database_with_the_demo_and_its_accounts() {
    let scratch = common::scratch();
    let server = common::Server::start(scratch.location());
    let addr = server.addr.clone();
    let (status, body) = http(
        &addr,
        "GET /api/v1/strategies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let form = "login=cdo&password=gutenberg-druckt-2026";
    let (login_status, _) = http(
        &addr,
        &format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    server.kill();
    assert!(
        status.contains(" 200 "),
        "public read is on for the demo: {status}"
    );
    assert!(body.contains("Digitalisierungsstrategie"), "{body}");
    assert!(
        login_status.contains(" 200 "),
        "the demo admin can sign in: {login_status}"
    );
}

#[test]
fn scale_data_fills_a_new_database_and_refuses_one_in_use() {
    let scratch = common::scratch();
    let db = scratch.location();
    let (code, out, err) = meilenstein(&["demo", "--scale", "400", "--changes", "3", "--db", db]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("400 milestones with 3 versions each"), "{out}");
    let (code, exported, err) = meilenstein(&["export", "--db", db]);
    assert_eq!(code, 0, "{err}");
    let exported: Value = serde_json::from_str(&exported).unwrap();
    let fields = exported["strategy"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 5);
    let subgoals: Vec<&Value> = fields
        .iter()
        .flat_map(|f| f["needs"].as_array().unwrap())
        .flat_map(|n| n["subgoals"].as_array().unwrap())
        .collect();
    assert_eq!(subgoals.len(), 150);
    let milestones: Vec<&Value> = subgoals
        .iter()
        .flat_map(|s| s["milestones"].as_array().unwrap())
        .collect();
    assert_eq!(milestones.len(), 400);
    for status in ["planned", "in_progress", "done", "cancelled"] {
        assert!(
            milestones.iter().any(|m| m["status"] == status),
            "{status} missing"
        );
    }
    let (code, _, err) = meilenstein(&["user", "list", "--db", db]);
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = meilenstein(&["demo", "--scale", "10", "--db", db]);
    assert_eq!(code, 1);
    assert!(err.contains("already holds a strategy"), "{err}");
    let (code, _, err) = meilenstein(&["demo", "--scale", "-3", "--db", db]);
    assert_eq!(code, 2, "refused by the argument parser: {err}");
}

#[test]
fn a_backup_of_a_live_database_restores_to_the_same_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let live = common::scratch();
    let db = live.location().to_owned();
    let (code, _, err) = meilenstein(&["demo", "--scale", "300", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    let (_, before, _) = meilenstein(&["export", "--db", &db, "--strategy", "1"]);

    // Writes go on while the copy is taken: more strategies are imported meanwhile.
    let file = write(dir.path(), "doc.json", &document().to_string());
    let writer = {
        let (db, file) = (db.clone(), file.clone());
        std::thread::spawn(move || {
            for _ in 0..5 {
                let (code, _, err) = meilenstein(&["import", &file, "--db", &db]);
                assert_eq!(code, 0, "{err}");
            }
        })
    };
    let copy = dir.path().join("copy.db");
    let copy = copy.to_str().unwrap();
    let (code, out, err) = meilenstein(&["backup", "--db", &db, "--to", copy]);
    assert_eq!(code, 0, "{err}");
    match live.engine() {
        Engine::Sqlite => assert!(out.contains("integrity ok"), "{out}"),
        Engine::Postgres => assert!(out.contains("archive readable"), "{out}"),
    }
    writer.join().unwrap();

    let (code, _, err) = meilenstein(&["backup", "--db", &db, "--to", copy]);
    assert_eq!(code, 1, "an existing file is not overwritten");
    assert!(err.contains("exists already"), "{err}");
    let (code, _, err) = meilenstein(&[
        "backup",
        "--db",
        "/nonexistent/x.db",
        "--to",
        "/tmp/never.db",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no database"), "{err}");

    // Restore: the copy becomes the database file, or pg_restore fills a new database.
    let new = common::scratch();
    let restored = new.location();
    match new.engine() {
        Engine::Sqlite => {
            std::fs::copy(copy, restored).unwrap();
        }
        Engine::Postgres => {
            let out = Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname", restored, copy])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let (code, after, err) = meilenstein(&["export", "--db", restored, "--strategy", "1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(after, before, "the restored strategy is the same document");
    let (code, out, err) = meilenstein(&["audit", "verify", "--db", restored]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn export_as_of_a_day_prints_the_strategy_as_it_stood_then() {
    let scratch = common::scratch();
    let db = scratch.location();
    let (code, _, err) = meilenstein(&["demo", "--scale", "300", "--changes", "4", "--db", db]);
    assert_eq!(code, 0, "{err}");
    let today = chrono::Local::now().date_naive();
    let year_ago = (today - chrono::TimeDelta::days(365)).to_string();
    let today = today.to_string();
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "--db", db, "--today", &today];
        args.extend_from_slice(extra);
        meilenstein(&args)
    };
    let milestones = |doc: &Value| {
        doc["strategy"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["needs"].as_array().unwrap())
            .flat_map(|n| n["subgoals"].as_array().unwrap())
            .map(|s| s["milestones"].as_array().unwrap().len())
            .sum::<usize>()
    };

    let (code, now, err) = export(&[]);
    assert_eq!(code, 0, "{err}");
    let (code, as_of_today, err) = export(&["--as-of", &today]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(now, as_of_today, "today's export and one as of today agree");

    let (code, past, err) = export(&["--as-of", &year_ago]);
    assert_eq!(code, 0, "{err}");
    let past: Value = serde_json::from_str(&past).unwrap();
    let now: Value = serde_json::from_str(&now).unwrap();
    assert_eq!(past["as_of"], year_ago.as_str());
    assert!(milestones(&past) < milestones(&now));
    assert!(past["strategy"]["progress"].as_f64() < now["strategy"]["progress"].as_f64());

    let (code, _, err) = export(&["--as-of", "2199-01-01"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--as-of \"2199-01-01\": lies in the future"),
        "{err}"
    );
    let (code, _, err) = export(&["--as-of", "2026-02-30"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a date"), "{err}");
    let (code, out, err) = export(&["--as-of", "2001-01-01"]);
    assert_eq!(code, 0, "{err}");
    let before: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(before["strategy"]["fields"], Value::Array(vec![]));
}
