//! The `meilenstein` command line: import, export, and refusing bad documents whole.

use serde_json::{Value, json};
use std::{path::Path, process::Command};

fn meilenstein(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("MEILENSTEIN_TODAY", "2026-11-27")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
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
    for command in ["serve", "import", "export"] {
        assert!(out.contains(command), "{out}");
    }
    let (code, out, _) = meilenstein(&["serve", "--help"]);
    assert_eq!(code, 0);
    for option in ["--addr", "--db", "--no-demo", "DATABASE_URL"] {
        assert!(out.contains(option), "{out}");
    }
}

#[test]
fn import_then_export_then_import_gives_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let first_db = dir.path().join("first.db");
    let first_db = first_db.to_str().unwrap();
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

    let second_db = dir.path().join("second.db");
    let second_db = second_db.to_str().unwrap();
    let again = write(dir.path(), "again.json", &exported.to_string());
    let (code, _, err) = meilenstein(&["import", &again, "--db", second_db]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = meilenstein(&["export", "--db", second_db]);
    assert_eq!(serde_json::from_str::<Value>(&second).unwrap(), exported);
}

#[test]
fn with_several_strategies_export_needs_to_be_told_which() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("several.db");
    let db = db.to_str().unwrap();
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
    let db = dir.path().join("kept.db");
    let db_str = db.to_str().unwrap();
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

    // A refused document does not even create a database.
    let fresh = dir.path().join("never.db");
    let bad = write(
        dir.path(),
        "bad.json",
        &milestone("due", json!("2026-02-30")),
    );
    let (code, _, _) = meilenstein(&["import", &bad, "--db", fresh.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(!fresh.exists());
}

#[test]
fn missing_files_and_databases_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let (code, _, err) = meilenstein(&[
        "import",
        "/nonexistent/doc.json",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot read /nonexistent/doc.json"), "{err}");
    let (code, _, err) = meilenstein(&["export", "--db", db.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("no database at"), "{err}");
}
