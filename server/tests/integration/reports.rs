//! Reports to the council: frozen when made, compared with the report before, withdrawn but
//! kept; made and read through the forms, the server functions and the command line.

use crate::common::{self, TestApp, csv_rows, make_report};
use app::store::db;
use axum::http::header;

/// The part of a page that is the page's own (the layout and the nonce left out).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.rfind("</main>").expect("the end of main");
    &html[start..end]
}

#[test]
fn a_report_stays_as_it_was_made_whatever_is_recorded_later() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let id = make_report(
            &app,
            &admin,
            "name=Bericht+an+den+Stadtrat&stichtag=2026-11-01&foreword=Sehr+geehrte+Damen+und+Herren",
        )
        .await;
        let (status, page) = app.get(&format!("/reports/{id}")).await;
        assert_eq!(status, 200, "public read applies");
        assert!(page.contains("Bericht an den Stadtrat") && page.contains("Sehr geehrte"));
        assert!(page.contains("01.11.2026"), "the Stichtag in German");
        let csv_uri = format!("/reports/{id}/overview.csv");
        let (_, csv) = app.get(&csv_uri).await;

        // A milestone recorded back-dated into the report's period, and a weight corrected.
        let subgoal = app.rewrite_the_past(&admin).await;
        let (_, today) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(today.contains("Umbenannt") && today.contains("Nachgetragen"));

        let (_, again) = app.get(&format!("/reports/{id}")).await;
        assert_eq!(
            main_of(&again),
            main_of(&page),
            "the report's page is unchanged"
        );
        let (_, csv_again) = app.get(&csv_uri).await;
        assert_eq!(csv_again, csv, "the report's CSV is unchanged");
        assert!(!again.contains("Umbenannt") && !again.contains("Nachgetragen"));

        // Compared with today, the change shows.
        let (status, now) = app.get(&format!("/reports/{id}?compare=today")).await;
        assert_eq!(status, 200);
        assert!(now.contains("1 Meilenstein neu"), "{}", main_of(&now));
        assert!(now.contains("1 Meilenstein erreicht"));

        // The database refuses to change or remove a report, whoever asks.
        for sql in [
            "UPDATE reports SET snapshot = '{}'",
            "UPDATE reports SET name = 'anders'",
            "DELETE FROM reports",
        ] {
            assert!(
                db::query(sql).execute(app.store.pool()).await.is_err(),
                "{sql}"
            );
        }
    })
}

#[test]
fn the_next_report_says_what_changed_since_the_last() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let first = make_report(&app, &admin, "name=Sitzung+1&stichtag=2026-06-30").await;
        let (_, page) = app.get(&format!("/reports/{first}")).await;
        assert!(page.contains("keinen früheren Bericht"));

        // Between the two: one milestone reached, one moved by 10 days, one added, one
        // cancelled (four different sub-goals' first milestones).
        let subgoals: Vec<i64> = db::query_scalar(
            "SELECT DISTINCT subgoal_id FROM milestones WHERE status IN ('planned', 'in_progress')
             ORDER BY subgoal_id LIMIT 3",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        let call = |uri: &'static str, form: String| {
            let (app, admin) = (&app, &admin);
            async move {
                let (status, body) = app.call_as(Some(admin), uri, &form).await;
                assert_eq!(status, 200, "{uri}: {body}");
            }
        };
        let open_milestone = |subgoal: i64| {
            let app = &app;
            async move {
                db::query_as::<(i64, i64, String, String)>(
                    "SELECT id, version, title, CAST(due AS TEXT) FROM milestones
                     WHERE subgoal_id = $1 AND status IN ('planned', 'in_progress') ORDER BY id LIMIT 1",
                )
                .bind(subgoal)
                .fetch_one(app.store.pool())
                .await
                .unwrap()
            }
        };
        let (reached, version, _, _) = open_milestone(subgoals[0]).await;
        call(
            "/api/milestones/reach",
            format!("id={reached}&version={version}&done_on=2026-11-20"),
        )
        .await;
        let (moved, version, title, due) = open_milestone(subgoals[1]).await;
        let later = (due.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(10)).to_string();
        call(
            "/api/milestones/edit",
            format!(
                "id={moved}&version={version}&title={}&due={later}&status=planned&weight=1",
                title.replace(' ', "+")
            ),
        )
        .await;
        let (cancelled, version, _, _) = open_milestone(subgoals[2]).await;
        call(
            "/api/milestones/cancel",
            format!("id={cancelled}&version={version}"),
        )
        .await;
        call(
            "/api/milestones/record",
            format!(
                "subgoal_id={}&title=Neu+geplant&due=2027-06-30&status=planned",
                subgoals[0]
            ),
        )
        .await;

        let second = make_report(&app, &admin, "name=Sitzung+2").await;
        let (_, page) = app.get(&format!("/reports/{second}")).await;
        let main = main_of(&page);
        assert!(main.contains("Verglichen mit „Sitzung 1“"), "{main}");
        for words in [
            "1 Meilenstein erreicht",
            "1 Termin verschoben",
            "1 Meilenstein neu",
            "1 gestrichen",
            "10 Tage später",
        ] {
            assert!(main.contains(words), "{words}: {main}");
        }
        // In English, in words as well.
        let request = axum::http::Request::get(format!("/reports/{second}"))
            .header(header::COOKIE, "i18n_pref_locale=en");
        let (_, english) =
            common::read(app.send(request, None, axum::body::Body::empty()).await).await;
        assert!(english.contains("1 milestone reached") && english.contains("10 days later"));

        // Compared the other way round and with a report that does not exist.
        let (status, _) = app.get(&format!("/reports/{first}?compare={second}")).await;
        assert_eq!(status, 200);
        let (status, _) = app.get(&format!("/reports/{second}?compare=999")).await;
        assert_eq!(status, 404);
        let (status, body) = app.get(&format!("/reports/{second}?compare=gestern")).await;
        assert_eq!(status, 422, "{body}");

        // The list, the latest Stichtag first.
        let (_, list) = app.get("/reports").await;
        let (one, two) = (
            list.find("Sitzung 1").unwrap(),
            list.find("Sitzung 2").unwrap(),
        );
        assert!(two < one);
    })
}

#[test]
fn bad_report_forms_name_the_field_and_only_admins_make_or_withdraw_reports() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/reports/create",
                "name=+&stichtag=2099-01-01",
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("name") && body.contains("Required"), "{body}");
        assert!(
            body.contains("stichtag") && body.contains("InFuture"),
            "{body}"
        );
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/reports/create",
                "name=X&stichtag=30.11.2026",
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("NotADate"), "{body}");
        let (status, _) = app
            .call_as(Some(&admin), "/api/reports/create", "name=X&strategy_id=99")
            .await;
        assert_eq!(status, 422, "an unknown strategy is refused");

        // Without JavaScript, the form comes back with the message and what was typed.
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/reports/create",
                "http://x/reports",
                "name=&stichtag=morgen&foreword=Gruß",
            )
            .await;
        let back = TestApp::refused_redirect(&response);
        let (_, page) = app.get_as(Some(&admin), &back).await;
        assert!(page.contains("Bitte ausfüllen.") && page.contains("Kein gültiges Datum"));
        assert!(page.contains("value=\"morgen\"") && page.contains("Gruß"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM reports").await,
            0,
            "nothing half-made"
        );

        for login in ["vhs", "rat"] {
            let session = app.sign_in(login).await;
            let (status, _) = app
                .call_as(Some(&session), "/api/reports/create", "name=Meiner")
                .await;
            assert_eq!(status, 403, "{login}");
        }
        let (status, _) = app.call("/api/reports/create", "name=Anonym").await;
        assert_eq!(status, 401);

        let id = make_report(&app, &admin, "name=Zur%C3%BCckzuziehen").await;
        let owner = app.sign_in("vhs").await;
        let withdraw = format!("report_id={id}&reason=Falscher+Stichtag");
        let (status, _) = app
            .call_as(Some(&owner), "/api/reports/withdraw", &withdraw)
            .await;
        assert_eq!(status, 403);
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/reports/withdraw",
                &format!("report_id={id}&reason="),
            )
            .await;
        assert_eq!(status, 422, "a reason is asked: {body}");
        let (status, _) = app
            .call_as(Some(&admin), "/api/reports/withdraw", &withdraw)
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .call_as(Some(&admin), "/api/reports/withdraw", &withdraw)
            .await;
        assert_eq!(status, 422, "withdrawn once: {body}");
        assert!(body.contains("AlreadyWithdrawn"));
        let (status, page) = app.get(&format!("/reports/{id}")).await;
        assert_eq!(status, 200, "a withdrawn report stays readable");
        assert!(page.contains("zurückgezogen") && page.contains("Falscher Stichtag"));
        let (_, list) = app.get("/reports").await;
        assert!(list.contains("zurückgezogen"));
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/reports/withdraw",
                "report_id=999&reason=x",
            )
            .await;
        assert_eq!(status, 404);

        let actions: Vec<String> = db::query_scalar(
            "SELECT action FROM audit_log WHERE object_type = 'report' ORDER BY id",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(actions, ["report.created", "report.withdrawn"]);
    })
}

#[test]
fn reports_are_read_only_when_public_read_is_off() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let id = make_report(&app, &admin, "name=Intern").await;
        app.set_public_read(false).await;
        for uri in [
            "/reports".to_owned(),
            format!("/reports/{id}"),
            format!("/reports/{id}/overview.csv"),
        ] {
            let (status, _) = app.get(&uri).await;
            assert!(status == 401 || status == 403, "{uri}: {status}");
        }
        let viewer = app.sign_in("rat").await;
        let (status, csv) = app
            .get_as(Some(&viewer), &format!("/reports/{id}/overview.csv"))
            .await;
        assert_eq!(status, 200);
        let rows = csv_rows(&csv, b';');
        assert_eq!(rows[0][0], "Stichtag");
        assert!(
            rows.iter()
                .skip(1)
                .all(|r| r[0] == common::today().to_string())
        );
        // One row per field and per need.
        let needs = app.count("SELECT COUNT(*) FROM needs").await as usize;
        let fields = app.count("SELECT COUNT(*) FROM fields").await as usize;
        assert_eq!(rows.len(), 1 + needs + fields);
    })
}

#[test]
fn reports_from_the_command_line() {
    let scratch = common::scratch();
    let db = scratch.location();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_meilenstein"))
            .args(args)
            .args(["--db", db, "--today", "2026-11-27"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/musterstadt.json"
    );
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .args(["import", seed, "--db", db])
        .output()
        .unwrap();
    assert!(import.status.success());

    let (code, out, err) = cli(&[
        "report",
        "create",
        "--strategy",
        "1",
        "--name",
        "Sitzung 10.12.2026",
        "--stichtag",
        "2026-11-01",
    ]);
    assert_eq!(code, 0, "{err}");
    let id: i64 = out.trim().parse().expect("prints the id");
    let (code, _, err) = cli(&[
        "report",
        "create",
        "--strategy",
        "1",
        "--name",
        "x",
        "--stichtag",
        "2027-01-01",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--stichtag") && err.contains("future"),
        "{err}"
    );
    let (code, _, err) = cli(&["report", "create", "--strategy", "9", "--name", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("--strategy") && err.contains('9'), "{err}");
    let (code, _, err) = cli(&["report", "create", "--strategy", "1", "--name", " "]);
    assert_eq!(code, 1);
    assert!(err.contains("--name"), "{err}");

    let (code, out, _) = cli(&["report", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("{id}\t2026-11-01\tstrategy 1\tSitzung 10.12.2026")),
        "{out}"
    );
    // The strategy was recorded today: a report of an earlier day shows it before that,
    // empty; one of today shows it whole.
    let (code, out, _) = cli(&["report", "create", "--strategy", "1", "--name", "Heute"]);
    assert_eq!(code, 0);
    let today: i64 = out.trim().parse().unwrap();
    let (code, csv, _) = cli(&["report", "csv", &id.to_string()]);
    assert_eq!(code, 0);
    assert_eq!(csv_rows(&csv, b';').len(), 1, "only the headings");
    let (code, csv, _) = cli(&["report", "csv", &today.to_string(), "--lang", "en"]);
    assert_eq!(code, 0);
    let rows = csv_rows(&csv, b',');
    assert_eq!(rows[0][0], "Cut-off day");
    assert_eq!(rows[1][1], "Verwaltung digital", "{rows:?}");
    assert!(rows.len() > 2);
    let (code, _, err) = cli(&["report", "csv", "77"]);
    assert_eq!(code, 1);
    assert!(err.contains("no report with id 77"), "{err}");

    // The PDF and the workbook to standard output, also of the report with nothing in it.
    for (args, magic) in [
        (vec!["report", "pdf", &*today.to_string()], "%PDF-"),
        (
            vec!["report", "pdf", &*id.to_string(), "--lang", "en"],
            "%PDF-",
        ),
        (vec!["report", "xlsx", &*today.to_string()], "PK"),
    ] {
        let (code, out, err) = cli(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.starts_with(magic), "{args:?}");
    }
    for file in ["pdf", "xlsx"] {
        let (code, _, err) = cli(&["report", file, "77"]);
        assert_eq!(code, 1);
        assert!(err.contains("no report with id 77"), "{err}");
    }
    let (code, _, err) = cli(&["report", "pdf", &id.to_string(), "--lang", "fr"]);
    assert_eq!(code, 1);
    assert!(err.contains("--lang"), "{err}");
}

#[test]
fn the_presentation_has_every_slide_one_shown_and_works_without_javascript() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        make_report(&app, &admin, "name=Sitzung+1&stichtag=2026-06-30").await;
        let id = make_report(&app, &admin, "name=Sitzung+2").await;
        let needs = app.count("SELECT COUNT(*) FROM needs").await as usize;
        let count = 4 + needs;
        let uri = format!("/reports/{id}/present");

        let (status, html) = app.get(&uri).await;
        assert_eq!(status, 200);
        assert_eq!(
            html.matches("class=\"slide\"").count(),
            count,
            "title, overview, one per need, since, closing"
        );
        assert_eq!(
            html.matches(" hidden").count(),
            count - 1,
            "one slide shown"
        );
        assert!(
            html.contains("id=\"slide-1\" aria-labelledby=\"slide-1-title\" class=\"slide\">"),
            "the first shows"
        );
        assert!(!html.contains("class=\"site-header\""), "no site chrome");
        assert!(html.contains(&format!("Folie 1 von {count}")));
        assert!(
            html.contains(&format!("href=\"{uri}?slide=2\"")) && html.contains("accesskey=\"n\"")
        );
        assert!(
            !html.contains("http-equiv=\"refresh\""),
            "no kiosk unless asked"
        );

        // Each need's slide: its burn-up chart, and what changed since "Sitzung 1".
        let (_, third) = app.get(&format!("{uri}?slide=3")).await;
        assert!(
            third.contains("id=\"slide-3\" aria-labelledby=\"slide-3-title\" class=\"slide\">")
        );
        assert!(
            third.contains("<svg") && third.contains("keine Änderung"),
            "since the last report"
        );
        assert!(third.contains("accesskey=\"p\""));
        let (_, last) = app.get(&format!("{uri}?slide=999")).await;
        assert!(
            last.contains(&format!(
                "id=\"slide-{count}\" aria-labelledby=\"slide-{count}-title\" class=\"slide\">"
            )),
            "past the end: the last"
        );
        assert!(last.contains("Vielen Dank"));

        // High contrast and the kiosk, which loops from the last slide to the first.
        let (_, high) = app
            .get(&format!("{uri}?contrast=high&slide={count}&kiosk=30"))
            .await;
        assert!(high.contains("slides high-contrast"));
        assert!(
            high.contains(&format!(
                "content=\"30;url={uri}?slide=1&amp;contrast=high&amp;kiosk=30\""
            )),
            "{}",
            &high[high.find("refresh").unwrap_or(0)..][..200.min(high.len())]
        );
        for bad in ["kiosk=1", "kiosk=abc", "kiosk=100000"] {
            let (status, page) = app.get(&format!("{uri}?{bad}")).await;
            assert_eq!(status, 200);
            assert!(!page.contains("http-equiv=\"refresh\""), "{bad}");
        }
        // No kiosk when the strategy is not public: the foyer screen is not signed in.
        app.set_public_read(false).await;
        let viewer = app.sign_in("rat").await;
        let (status, page) = app.get_as(Some(&viewer), &format!("{uri}?kiosk=30")).await;
        assert_eq!(status, 200);
        assert!(!page.contains("http-equiv=\"refresh\""));
        let (status, _) = app.get(&format!("{uri}?kiosk=30")).await;
        assert!(status == 401 || status == 403);

        // In English too.
        let request = axum::http::Request::get(&uri).header(header::COOKIE, "i18n_pref_locale=en");
        let (_, english) = common::read(
            app.send(request, Some(&viewer), axum::body::Body::empty())
                .await,
        )
        .await;
        assert!(english.contains(&format!("Slide 1 of {count}")));
    })
}
