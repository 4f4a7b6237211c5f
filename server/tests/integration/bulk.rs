//! Bulk updates from a spreadsheet (issue 15): the template, the upload as German and English
//! offices save it, the preview (new, changed, unchanged, refused, conflict, not owned), and
//! applying all or nothing; the same from the command line.

use crate::common::{self, Session, TestApp};
use app::store::db;
use axum::{
    body::Body,
    http::{Request, header},
};
use serde_json::Value;

/// The Schulamt's sub-goals in the demo.
const OWNER: &str = "Amt für Schule und Bildung";

/// A file posted as the upload form sends it; the response.
async fn upload(
    app: &TestApp,
    session: &Session,
    name: &str,
    bytes: &[u8],
) -> axum::response::Response {
    common::upload_file(app, session, "/bulk/upload", name, bytes).await
}

/// Uploads and answers the preview's token.
async fn uploaded(app: &TestApp, session: &Session, name: &str, bytes: &[u8]) -> String {
    let response = upload(app, session, name, bytes).await;
    assert_eq!(response.status(), 303, "{:?}", common::read(response).await);
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    location.strip_prefix("/bulk/").unwrap().to_owned()
}

async fn preview(app: &TestApp, session: &Session, token: &str) -> Value {
    let (status, body) = app
        .call_as(
            Some(session),
            "/api/bulk/preview",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn kind(row: &Value) -> &str {
    row["outcome"]
        .as_object()
        .and_then(|o| o.keys().next())
        .map(String::as_str)
        .or(row["outcome"].as_str())
        .unwrap()
}

async fn template(app: &TestApp, session: &Session, query: &str) -> (u16, String) {
    app.get_as(Some(session), &format!("/templates/milestones.csv?{query}"))
        .await
}

/// The open milestones of the Schulamt's first sub-goal: (id, version, title).
async fn own_milestones(app: &TestApp) -> Vec<(i64, i64, String)> {
    db::query_as(
        "SELECT m.id, m.version, m.title FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
         WHERE s.owner = $1 ORDER BY m.id",
    )
    .bind(OWNER)
    .fetch_all(app.store.pool())
    .await
    .unwrap()
}

async fn snapshot(app: &TestApp) -> String {
    let rows: Vec<(i64, i64, String, String, String)> = db::query_as(
        "SELECT id, version, title, CAST(due AS TEXT), status FROM milestones ORDER BY id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    format!("{rows:?}")
}

#[test]
fn the_template_holds_what_the_user_may_change_in_their_dialect() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let mine = own_milestones(&app).await;
        let (status, csv) = template(&app, &owner, "lang=de").await;
        assert_eq!(status, 200, "{csv}");
        let rows = common::csv_rows(&csv, b';');
        assert_eq!(
            rows[0],
            [
                "Nr.",
                "Version",
                "Teilziel-Nr.",
                "Teilziel",
                "Meilenstein",
                "Fällig am",
                "Status",
                "Erreicht am",
                "Gewicht",
                "Notiz"
            ]
        );
        assert_eq!(rows.len() - 1, mine.len(), "only the Schulamt's milestones");
        let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
        for (id, _, _) in &mine {
            assert!(ids.contains(id));
        }
        assert!(rows[1][5].contains('.'), "German dates: {:?}", rows[1]);
        assert!(
            rows[1..].iter().all(
                |r| ["geplant", "in Arbeit", "erreicht", "gestrichen"].contains(&r[6].as_str())
            )
        );
        let (_, english) = template(&app, &owner, "lang=en").await;
        let rows = common::csv_rows(&english, b',');
        assert_eq!(rows[0][0], "No.");
        assert!(rows[1][5].contains('-'), "ISO dates: {:?}", rows[1]);

        // A sub-goal of another department: an empty template; none at all: not found.
        let other: i64 =
            db::query_scalar("SELECT MIN(id) FROM subgoals WHERE owner = 'Volkshochschule Mainz'")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        let (status, csv) = template(&app, &owner, &format!("subgoal={other}")).await;
        assert_eq!(status, 200);
        assert_eq!(common::csv_rows(&csv, b';').len(), 1);
        let (status, _) = template(&app, &owner, "subgoal=999999").await;
        assert_eq!(status, 404);
        let (status, _) = template(&app, &owner, "subgoal=1&need=1").await;
        assert_eq!(status, 400);

        // The workbook reads back as the same rows, dates as dates.
        let response = app
            .send(
                Request::get("/templates/milestones.xlsx?lang=de"),
                Some(&owner),
                Body::empty(),
            )
            .await;
        assert_eq!(response.status(), 200);
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let table = server::spreadsheet_files::read(&bytes).unwrap();
        assert_eq!(table.header[0], "Nr.");
        assert_eq!(table.rows.len(), mine.len());
        assert!(
            table.rows[0][5].contains('-'),
            "a date cell: {:?}",
            table.rows[0]
        );

        // Viewers and strangers get none.
        let viewer = app.sign_in("rat").await;
        assert_eq!(template(&app, &viewer, "").await.0, 403);
        assert_eq!(app.get("/templates/milestones.csv").await.0, 401);
    });
}

#[test]
fn a_changed_template_is_previewed_row_by_row_and_applied_all_or_nothing() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let (_, csv) = template(&app, &owner, "lang=de").await;
        let rows = common::csv_rows(&csv, b';');
        let subgoal = rows[1][2].clone();
        let other: i64 =
            db::query_scalar("SELECT MIN(id) FROM subgoals WHERE owner = 'Volkshochschule Mainz'")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        let other_title: String = db::query_scalar("SELECT title FROM subgoals WHERE id = $1")
            .bind(other)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        // As German Excel saves it: semicolons, Windows-1252, dates 31.12.2026, decimal commas.
        let mut lines = vec![rows[0].join(";")];
        let mut changed = rows[1].clone();
        changed[5] = "31.03.2027".to_owned();
        changed[8] = "1,5".to_owned();
        lines.push(changed.join(";"));
        lines.push(rows[2].join(";"));
        lines.push(format!(
            ";;{subgoal};;Neue Schulen anbinden – Größe;30.06.2027;geplant;;1;"
        ));
        lines.push(format!(";;{other};;Fremdes Teilziel;30.06.2027;;;;"));
        let text = lines.join("\r\n") + "\r\n";
        let (encoded, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable);
        let before = snapshot(&app).await;
        let token = uploaded(&app, &owner, "vorlage.csv", &encoded).await;

        let page = preview(&app, &owner, &token).await;
        assert_eq!(page["tally"]["changed"], 1, "{page}");
        assert_eq!(page["tally"]["unchanged"], 1);
        assert_eq!(page["tally"]["new"], 1);
        assert_eq!(page["tally"]["refused"], 1);
        let rows_seen = page["rows"].as_array().unwrap();
        let kinds: Vec<&str> = rows_seen.iter().map(kind).collect();
        assert_eq!(kinds, ["Changed", "Unchanged", "New", "Refused"]);
        assert_eq!(
            rows_seen[2]["outcome"]["New"]["data"]["title"],
            "Neue Schulen anbinden – Größe"
        );
        assert_eq!(rows_seen[0]["outcome"]["Changed"]["after"]["weight"], 1.5);
        assert_eq!(
            rows_seen[0]["outcome"]["Changed"]["after"]["due"],
            "2027-03-31"
        );
        assert_eq!(rows_seen[3]["line"], 5);
        assert_eq!(
            rows_seen[3]["outcome"]["Refused"][0]["issue"]["NotOwned"]["subgoal"],
            other_title.as_str()
        );

        // The preview page, without JavaScript: the refusal by row, column and sub-goal.
        let (status, html) = app.get_as(Some(&owner), &format!("/bulk/{token}")).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("1 neu · 1 geändert · 1 unverändert · 1 abgelehnt"),
            "{html}"
        );
        assert!(html.contains("gehört nicht zu Ihren Teilzielen"));
        assert!(html.contains("Fällig am: "), "the changed field old → new");
        assert!(
            !html.contains("action=\"/api/bulk/apply\""),
            "no applying while a row is refused"
        );

        // Applying anyway writes nothing.
        let (status, body) = app
            .call_as(Some(&owner), "/api/bulk/apply", &format!("token={token}"))
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(snapshot(&app).await, before);

        // Without the refused row: applied, in one go, each change on record as a bulk update.
        lines.pop();
        let text = lines.join("\r\n");
        let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let token = uploaded(&app, &owner, "vorlage.csv", &encoded).await;
        let entries = app.count("SELECT COUNT(*) FROM audit_log").await;
        let response = app
            .post_form_as(
                Some(&owner),
                "/api/bulk/apply",
                &format!("http://127.0.0.1:3000/bulk/{token}"),
                &format!("token={token}"),
            )
            .await;
        assert_eq!(response.status(), 302);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        assert!(
            location.ends_with("/my-subgoals?done=applied"),
            "{location}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            entries + 2
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE details LIKE '%\"bulk\":\"vorlage.csv\"%'"
            )
            .await,
            2
        );
        let id: i64 = rows[1][0].parse().unwrap();
        let (due, weight): (String, f64) =
            db::query_as("SELECT CAST(due AS TEXT), weight FROM milestones WHERE id = $1")
                .bind(id)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!((due.as_str(), weight), ("2027-03-31", 1.5));
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM milestones WHERE title = 'Neue Schulen anbinden – Größe'"
            )
            .await,
            1
        );
        assert!(
            app.count("SELECT COUNT(*) FROM status_reports WHERE kind = 'change'")
                .await
                > 0
        );
        // The upload is used up; the same file again is a conflict now (its version moved).
        let (status, _) = app
            .call_as(Some(&owner), "/api/bulk/preview", &format!("token={token}"))
            .await;
        assert_eq!(status, 404);
        let again = uploaded(&app, &owner, "vorlage.csv", &encoded).await;
        let page = preview(&app, &owner, &again).await;
        let issue = &page["rows"][0]["outcome"]["Refused"][0]["issue"];
        assert!(
            issue["Conflict"]["current_version"].as_i64().unwrap()
                > issue["Conflict"]["file_version"].as_i64().unwrap(),
            "{page}"
        );

        // Someone else's upload is not theirs to see.
        let admin = app.sign_in("cdo").await;
        let (status, _) = app
            .call_as(Some(&admin), "/api/bulk/preview", &format!("token={again}"))
            .await;
        assert_eq!(status, 404);
    });
}

#[test]
fn files_as_offices_save_them_and_files_that_are_refused_whole() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let (_, csv) = template(&app, &owner, "lang=en").await;
        let rows = common::csv_rows(&csv, b',');
        let one = |separator: &str, date: &str| {
            let mut row = rows[1].clone();
            row[5] = date.to_owned();
            format!("{}\n{}\n", rows[0].join(separator), row.join(separator))
        };
        // UTF-8 with and without a byte-order mark, commas or semicolons, either date.
        for (name, bytes) in [
            (
                "bom.csv",
                format!("\u{feff}{}", one(",", "2027-01-31")).into_bytes(),
            ),
            ("plain.csv", one(";", "31.01.2027").into_bytes()),
        ] {
            let token = uploaded(&app, &owner, name, &bytes).await;
            let page = preview(&app, &owner, &token).await;
            assert_eq!(page["tally"]["changed"], 1, "{name}: {page}");
            assert_eq!(
                page["rows"][0]["outcome"]["Changed"]["after"]["due"],
                "2027-01-31"
            );
        }
        // A workbook.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, name) in ["No.", "Version", "Milestone", "Due"].iter().enumerate() {
            sheet.write(0, col as u16, *name).unwrap();
        }
        let (id, version) = (
            rows[1][0].parse::<f64>().unwrap(),
            rows[1][1].parse::<f64>().unwrap(),
        );
        sheet.write(1, 0, id).unwrap();
        sheet.write(1, 1, version).unwrap();
        sheet.write(1, 2, rows[1][4].as_str()).unwrap();
        let due = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 2, 28).unwrap();
        sheet
            .write_with_format(
                1,
                3,
                &due,
                &rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy"),
            )
            .unwrap();
        let token = uploaded(
            &app,
            &owner,
            "vorlage.xlsx",
            &book.save_to_buffer().unwrap(),
        )
        .await;
        let page = preview(&app, &owner, &token).await;
        assert_eq!(
            page["rows"][0]["outcome"]["Changed"]["after"]["due"], "2027-02-28",
            "{page}"
        );

        // A title the CSV writer guards against formulas ('=…) comes back as it was.
        let first: i64 = rows[1][0].parse().unwrap();
        db::query("UPDATE milestones SET title = '=SUMME(A1:A9)' WHERE id = $1")
            .bind(first)
            .execute(app.store.pool())
            .await
            .unwrap();
        let (_, german) = template(&app, &owner, "lang=de").await;
        assert!(german.contains("'=SUMME(A1:A9)"), "guarded in the file");
        let token = uploaded(&app, &owner, "vorlage.csv", german.as_bytes()).await;
        let page = preview(&app, &owner, &token).await;
        assert_eq!(page["tally"]["changed"], 0, "{page}");
        assert_eq!(page["tally"]["refused"], 0, "{page}");

        // Refused whole, by name: an unknown column, a file too large, not a spreadsheet.
        let unknown = format!("{},Farbe\n{},rot\n", rows[0].join(","), rows[1].join(","));
        let token = uploaded(&app, &owner, "farbe.csv", unknown.as_bytes()).await;
        let page = preview(&app, &owner, &token).await;
        assert_eq!(page["problem"]["UnknownColumn"]["name"], "Farbe", "{page}");
        assert_eq!(page["problem"]["UnknownColumn"]["column"], 11);
        let (_, html) = app.get_as(Some(&owner), &format!("/bulk/{token}")).await;
        assert!(
            html.contains("Spalte 11 („Farbe“) gibt es in der Vorlage nicht"),
            "{html}"
        );
        let huge = vec![b'a'; app::domain::bulk::MAX_FILE_BYTES + 1];
        let token = uploaded(&app, &owner, "gross.csv", &huge).await;
        assert!(preview(&app, &owner, &token).await["problem"]["TooLarge"].is_object());
        let token = uploaded(&app, &owner, "kaputt.xlsx", b"PK\x03\x04kaputt").await;
        assert_eq!(preview(&app, &owner, &token).await["problem"], "Unreadable");
        // Far beyond the limit the upload itself is refused, with a message.
        let response = upload(&app, &owner, "riesig.csv", &vec![b'a'; 8 * 1024 * 1024]).await;
        let (status, body) = common::read(response).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("file"), "{body}");
        // Viewers do not upload.
        let viewer = app.sign_in("rat").await;
        let response = upload(&app, &viewer, "x.csv", b"id,title\n").await;
        assert_eq!(response.status(), 403);
    });
}

#[test]
fn the_command_line_writes_the_template_and_applies_it_or_nothing() {
    common::run(async { command_line().await });
}

async fn command_line() {
    // The demo with its accounts, as `serve` makes it.
    let app = TestApp::with_demo().await;
    let dir = app.dir.path();
    let db = app.db();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_meilenstein"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, csv, err) = run(&[
        "template", "--as", "schulamt", "--format", "csv", "--lang", "en", "--db", db,
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = common::csv_rows(&csv, b',');
    assert!(rows.len() > 1);
    let mut changed = rows[1].clone();
    changed[4] = "Umbenannt per Tabelle".to_owned();
    let file = dir.join("changed.csv");
    std::fs::write(
        &file,
        format!("{}\n{}\n", rows[0].join(","), changed.join(",")),
    )
    .unwrap();
    let file = file.to_str().unwrap();

    let (code, out, _) = run(&["update", file, "--as", "schulamt", "--dry-run", "--db", db]);
    assert_eq!(code, 0);
    assert!(out.contains("row 2: changed"), "{out}");
    assert!(
        out.contains("0 new, 1 changed, 0 unchanged, 0 refused"),
        "{out}"
    );
    assert!(out.contains("nothing written"), "{out}");
    let (_, again, _) = run(&[
        "template", "--as", "schulamt", "--format", "csv", "--lang", "en", "--db", db,
    ]);
    assert!(
        !again.contains("Umbenannt per Tabelle"),
        "a dry run writes nothing"
    );

    // As another department: refused by name, exit status 1, nothing written.
    let (code, out, _) = run(&["update", file, "--as", "vhs", "--db", db]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is not one of your sub-goals"), "{out}");
    let (code, out, err) = run(&["update", file, "--as", "schulamt", "--db", db]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("written: 0 new, 1 changed"), "{out}");
    let (_, again, _) = run(&[
        "template", "--as", "schulamt", "--format", "csv", "--lang", "en", "--db", db,
    ]);
    assert!(again.contains("Umbenannt per Tabelle"));
    let (code, _, err) = run(&["update", file, "--as", "niemand", "--db", db]);
    assert_eq!(code, 1);
    assert!(err.contains("--as: no active account niemand"), "{err}");
}
