//! Reporting (issue 15): the owner's page "Meine Teilziele", status reports (a change or a
//! confirmation), the reporting rhythm and its grace days, moving a due date with a reason.
//! Today is fixed (`common::TODAY`, 2026-11-27).

use crate::common::{self, Session, TestApp};
use app::store::db;
use serde_json::Value;

/// The owner's page as JSON, as the hydrated app loads it.
async fn my_subgoals(app: &TestApp, session: &Session, department: Option<&str>) -> Value {
    let form = department
        .map(|d| format!("department={}", urlencode(d)))
        .unwrap_or_default();
    let (status, body) = app.call_as(Some(session), "/api/my-subgoals", &form).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The card of sub-goal `id` on the page.
fn card(page: &Value, id: i64) -> &Value {
    page["subgoals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subgoal"]["id"] == id)
        .unwrap_or_else(|| panic!("sub-goal {id} on the page: {page}"))
}

fn ids(page: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = page["subgoals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subgoal"]["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

async fn owned_by(app: &TestApp, department: &str) -> Vec<i64> {
    db::query_scalar("SELECT id FROM subgoals WHERE owner = $1 ORDER BY id")
        .bind(department)
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

/// Lets sub-goal `id` have existed since `day` (as if created then).
async fn created_on(app: &TestApp, id: i64, day: &str) {
    db::query(
        "UPDATE structure_revisions SET recorded_at = $1 WHERE kind = 'subgoal' AND object_id = $2",
    )
    .bind(common::at_hour(day, 8))
    .bind(id)
    .execute(app.store.pool())
    .await
    .unwrap();
}

#[test]
fn an_owner_signs_in_to_their_own_page_with_only_their_sub_goals() {
    common::run(async {
        let app = TestApp::with_demo().await;
        // The sign-in form, without JavaScript, from the start page.
        let response = app
            .post_form(
                "/api/auth/login",
                "http://127.0.0.1:3000/login",
                "login=schulamt&password=wlan-fuer-alle-schulen&next=%2F",
            )
            .await;
        assert_eq!(response.status(), 302);
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.ends_with("/my-subgoals"), "{location}");
        // Another page named is followed; an admin lands where asked.
        let response = app
            .post_form(
                "/api/auth/login",
                "http://127.0.0.1:3000/login",
                "login=schulamt&password=wlan-fuer-alle-schulen&next=%2Freports",
            )
            .await;
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("/reports")
        );
        let response = app
            .post_form(
                "/api/auth/login",
                "http://127.0.0.1:3000/login",
                "login=cdo&password=gutenberg-druckt-2026&next=%2F",
            )
            .await;
        assert!(
            !response.headers()["location"]
                .to_str()
                .unwrap()
                .contains("my-subgoals")
        );

        let owner = app.sign_in("schulamt").await;
        let mine = owned_by(&app, "Amt für Schule und Bildung").await;
        let others = owned_by(&app, "Volkshochschule Mainz").await;
        assert!(!mine.is_empty() && !others.is_empty());
        let page = my_subgoals(&app, &owner, None).await;
        assert_eq!(ids(&page), mine);
        assert!(page["whose"]["Mine"].is_string(), "{}", page["whose"]);
        assert!(page["departments"].as_array().unwrap().is_empty());
        // A department asked for by an owner changes nothing.
        let page = my_subgoals(&app, &owner, Some("Volkshochschule Mainz")).await;
        assert_eq!(ids(&page), mine);

        // The page itself, without JavaScript: every own sub-goal, none of the others.
        let (status, html) = app.get_as(Some(&owner), "/my-subgoals").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Meine Teilziele"));
        for id in &mine {
            assert!(html.contains(&format!("href=\"/subgoals/{id}\"")), "{id}");
            assert!(html.contains(&format!("name=\"subgoal_id\" value=\"{id}\"")));
        }
        for id in &others {
            assert!(!html.contains(&format!("href=\"/subgoals/{id}\"")), "{id}");
        }
        assert!(html.contains("Stand bestätigen") && html.contains("Termin verschieben"));
        assert!(html.contains("href=\"/my-subgoals\""), "in the navigation");

        // Nobody signed in is asked to; a viewer has no such page.
        let (status, _) = app.get("/my-subgoals").await;
        assert_eq!(status, 401);
        let viewer = app.sign_in("rat").await;
        let (status, _) = app.get_as(Some(&viewer), "/my-subgoals").await;
        assert_eq!(status, 403);
    });
}

#[test]
fn an_admin_sees_the_page_of_any_department() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let page = my_subgoals(&app, &admin, None).await;
        assert_eq!(page["whose"], "Choose");
        assert!(ids(&page).is_empty());
        let departments: Vec<&str> = page["departments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        assert!(
            departments.contains(&"Volkshochschule Mainz"),
            "{departments:?}"
        );

        let vhs = owned_by(&app, "Volkshochschule Mainz").await;
        let page = my_subgoals(&app, &admin, Some("Volkshochschule Mainz")).await;
        assert_eq!(ids(&page), vhs);
        assert_eq!(page["whose"]["Department"], "Volkshochschule Mainz");
        let page = my_subgoals(&app, &admin, Some("Kein solches Amt")).await;
        assert!(ids(&page).is_empty());

        let (status, html) = app
            .get_as(
                Some(&admin),
                "/my-subgoals?department=Volkshochschule%20Mainz",
            )
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("<select id=\"department\" name=\"department\">"));
        assert!(html.contains("Volkshochschule Mainz</option>"));
        for id in &vhs {
            assert!(html.contains(&format!("href=\"/subgoals/{id}\"")), "{id}");
        }
    });
}

#[test]
fn a_confirmation_or_a_change_is_the_report_for_the_period() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let mine = owned_by(&app, "Amt für Schule und Bildung").await;
        let (first, second) = (mine[0], mine[1]);

        // Never reported on (the demo's history put aside): late since the first quarter.
        db::query("DELETE FROM status_reports")
            .execute(app.store.pool())
            .await
            .unwrap();
        let page = my_subgoals(&app, &owner, None).await;
        let before = card(&page, first);
        assert_eq!(before["rhythm"], "quarterly");
        assert!(before["last_report"].is_null(), "{before}");
        assert!(
            before["standing"]["days_late"].as_i64().unwrap() > 0,
            "{before}"
        );

        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/subgoals/confirm",
                &format!("subgoal_id={first}&note=Alles+wie+geplant"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let page = my_subgoals(&app, &owner, None).await;
        let after = card(&page, first);
        assert_eq!(after["last_report"]["confirmation"], true);
        assert_eq!(after["last_report"]["note"], "Alles wie geplant");
        assert_eq!(
            after["last_report"]["by"],
            "Amt für Schule und Bildung (Demo)"
        );
        // Reported for this quarter: the next is asked for by the next quarter's deadline.
        assert_eq!(after["standing"]["due"]["deadline"], "2027-04-14");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'subgoal.confirmed' \
                 AND details LIKE '%Alles wie geplant%'"
            )
            .await,
            1
        );

        // A change to a milestone is a report too.
        let milestone: i64 = db::query_scalar(
            "SELECT id FROM milestones WHERE subgoal_id = $1 AND status IN ('planned', 'in_progress')
             ORDER BY id LIMIT 1",
        )
        .bind(second)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        let version: i64 = db::query_scalar("SELECT version FROM milestones WHERE id = $1")
            .bind(milestone)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/milestones/reach",
                &format!("id={milestone}&version={version}&done_on=2026-11-20"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let page = my_subgoals(&app, &owner, None).await;
        let changed = card(&page, second);
        assert_eq!(changed["last_report"]["confirmation"], false);
        assert_eq!(changed["standing"]["due"]["deadline"], "2027-04-14");

        // Several changes on one day are one report; a note that is too long is refused by
        // name and nothing is written.
        let rows = app.count("SELECT COUNT(*) FROM status_reports").await;
        let long = "x".repeat(2001);
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/subgoals/confirm",
                &format!("subgoal_id={first}&note={long}"),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("note"), "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM status_reports").await, rows);
        // Another owner's sub-goal is not theirs to confirm.
        let vhs = owned_by(&app, "Volkshochschule Mainz").await;
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/subgoals/confirm",
                &format!("subgoal_id={}", vhs[0]),
            )
            .await;
        assert_eq!(status, 403);
    });
}

#[test]
fn a_period_without_a_report_is_late_after_its_grace_days() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let owner = app.sign_in("schulamt").await;
        let id = owned_by(&app, "Amt für Schule und Bildung").await[0];

        // Created in January, never reported on: late since the first quarter's deadline.
        created_on(&app, id, "2026-01-05").await;
        db::query("DELETE FROM status_reports WHERE subgoal_id = $1")
            .bind(id)
            .execute(app.store.pool())
            .await
            .unwrap();
        let page = my_subgoals(&app, &owner, None).await;
        let late = card(&page, id);
        assert_eq!(late["standing"]["due"]["start"], "2026-01-01");
        assert_eq!(late["standing"]["due"]["deadline"], "2026-04-14");
        assert_eq!(late["standing"]["days_late"], 227);
        // What needs attention (a late report, overdue milestones) comes first on the page.
        let attention: Vec<bool> = page["subgoals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s["standing"]["days_late"].as_i64().unwrap() > 0
                    || !s["overdue"].as_array().unwrap().is_empty()
            })
            .collect();
        assert!(attention.windows(2).all(|w| w[0] || !w[1]), "{attention:?}");

        // A report in the third quarter's grace days counts for it: not late any more.
        common::reported_on(&app, id, "2026-10-05").await;
        let page = my_subgoals(&app, &owner, None).await;
        assert_eq!(card(&page, id)["standing"]["days_late"], 0);
        assert_eq!(card(&page, id)["standing"]["due"]["deadline"], "2027-01-14");

        // Monthly: that report counts for September; October's ended on 14 November.
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/subgoals/rhythm",
                &format!("subgoal_id={id}&rhythm=monthly"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let page = my_subgoals(&app, &owner, None).await;
        let monthly = card(&page, id);
        assert_eq!(monthly["rhythm"], "monthly");
        assert_eq!(monthly["standing"]["due"]["start"], "2026-10-01");
        assert_eq!(monthly["standing"]["days_late"], 13);
        // Thirty grace days: October's report may still come until 30 November.
        app.store
            .set_setting(
                app::store::REPORT_GRACE_DAYS,
                "30",
                chrono::Utc::now(),
                &app::audit::Actor::shell(),
            )
            .await
            .unwrap();
        let page = my_subgoals(&app, &owner, None).await;
        assert_eq!(page["grace_days"], 30);
        let graced = card(&page, id);
        assert_eq!(graced["standing"]["days_late"], 0);
        assert_eq!(graced["standing"]["due"]["deadline"], "2026-11-30");

        // The admins set the grace days, a whole number up to 90.
        for (typed, status) in [
            ("abc", 422),
            ("91", 422),
            ("2.5", 422),
            ("", 422),
            ("21", 200),
        ] {
            let (got, body) = app
                .call_as(
                    Some(&admin),
                    "/api/admin/settings/grace-days",
                    &format!("days={typed}"),
                )
                .await;
            assert_eq!(got, status, "{typed:?}: {body}");
            if status == 422 {
                assert!(body.contains("days"), "{body}");
            }
        }
        assert_eq!(my_subgoals(&app, &owner, None).await["grace_days"], 21);

        // The rhythm is the admins' to set, and only to one they know.
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/subgoals/rhythm",
                &format!("subgoal_id={id}&rhythm=quarterly"),
            )
            .await;
        assert_eq!(status, 403);
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/subgoals/rhythm",
                &format!("subgoal_id={id}&rhythm=weekly"),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("rhythm"), "{body}");
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/subgoals/rhythm",
                "subgoal_id=999999&rhythm=monthly",
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'subgoal.rhythm'")
                .await,
            1
        );
    });
}

#[test]
fn a_due_date_moves_only_with_a_reason_which_goes_on_record() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let subgoal = owned_by(&app, "Amt für Schule und Bildung").await[0];
        let (milestone, version): (i64, i64) = db::query_as(
            "SELECT id, version FROM milestones WHERE subgoal_id = $1 AND status = 'planned'
             ORDER BY id LIMIT 1",
        )
        .bind(subgoal)
        .fetch_one(app.store.pool())
        .await
        .unwrap();

        // Without JavaScript: the page comes back with the refusal beside the field, and
        // what was typed kept.
        let response = app
            .post_form_as(
                Some(&owner),
                "/api/milestones/move",
                "http://127.0.0.1:3000/my-subgoals",
                &format!("id={milestone}&version={version}&due=2027-03-31&reason=+"),
            )
            .await;
        let back = TestApp::refused_redirect(&response);
        assert!(back.starts_with("/my-subgoals"), "{back}");
        let (status, html) = app.get_as(Some(&owner), &back).await;
        assert_eq!(status, 200);
        let field = format!("id=\"own-m{milestone}-reason\"");
        let at = html.find(&field).expect("the reason field");
        let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
        assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
        assert!(
            html.contains("value=\"2027-03-31\""),
            "the typed date is kept"
        );
        let before_field = &html[..html.find(&field).unwrap()];
        let details = &before_field[before_field.rfind("<details").unwrap()..];
        assert!(
            details.starts_with("<details open class=\"move\">"),
            "the form is open: {}",
            &details[..80]
        );

        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/milestones/move",
                &format!("id={milestone}&version={version}&due=31.03.2027&reason=Lieferverzug"),
            )
            .await;
        assert_eq!(status, 422, "a date is written YYYY-MM-DD: {body}");
        assert!(body.contains("due"));

        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/milestones/move",
                &format!("id={milestone}&version={version}&due=2027-03-31&reason=Lieferverzug"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let due: String =
            db::query_scalar("SELECT CAST(due AS TEXT) FROM milestones WHERE id = $1")
                .bind(milestone)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!(due, "2027-03-31");
        let details: String = db::query_scalar(
            "SELECT details FROM audit_log WHERE action = 'milestone.updated' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        let details: Value = serde_json::from_str(&details).unwrap();
        assert_eq!(details["reason"], "Lieferverzug");
        assert_eq!(details["due"][1], "2027-03-31");

        // The version it was based on has moved on: a conflict, nothing written.
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/milestones/move",
                &format!("id={milestone}&version={version}&due=2027-06-30&reason=Nochmal"),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let due: String =
            db::query_scalar("SELECT CAST(due AS TEXT) FROM milestones WHERE id = $1")
                .bind(milestone)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!(due, "2027-03-31");

        // Set in progress from the page.
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/milestones/start",
                &format!("id={milestone}&version={}", version + 1),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let status: String = db::query_scalar("SELECT status FROM milestones WHERE id = $1")
            .bind(milestone)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(status, "in_progress");
    });
}

#[test]
fn the_board_lists_every_sub_goal_sorted_as_asked_and_as_a_spreadsheet() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let late = owned_by(&app, "Volkshochschule Mainz").await[0];
        db::query("DELETE FROM status_reports")
            .execute(app.store.pool())
            .await
            .unwrap();
        // Every sub-goal made today but one, made in January and never reported on.
        db::query(
            "UPDATE structure_revisions SET recorded_at = '2026-11-27T08:00:00.000000Z'
             WHERE kind = 'subgoal'",
        )
        .execute(app.store.pool())
        .await
        .unwrap();
        created_on(&app, late, "2026-01-05").await;
        let subgoals = app.count("SELECT COUNT(*) FROM subgoals").await as usize;

        let (status, body) = app.call("/api/reporting", "sort=late&dir=desc").await;
        assert_eq!(status, 200, "{body}");
        let page: Value = serde_json::from_str(&body).unwrap();
        let rows = page["rows"].as_array().unwrap();
        assert_eq!(rows.len(), subgoals);
        assert_eq!(rows[0]["subgoal"]["id"], late);
        assert_eq!(rows[0]["standing"]["days_late"], 227);
        assert_eq!(rows[0]["department"], "Volkshochschule Mainz");
        assert!(rows[1..].iter().all(|r| r["standing"]["days_late"] == 0));
        let (status, body) = app.call("/api/reporting", "sort=department").await;
        assert_eq!(status, 200);
        let page: Value = serde_json::from_str(&body).unwrap();
        let departments: Vec<String> = page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["department"].as_str().unwrap_or("").to_lowercase())
            .collect();
        assert!(
            departments.windows(2).all(|w| w[0] <= w[1]),
            "{departments:?}"
        );
        let (status, _) = app.call("/api/reporting", "sort=colour").await;
        assert_eq!(status, 400);

        // The page without JavaScript: sortable by links, the late row marked.
        let (status, html) = app.get("/reporting?sort=late&dir=desc").await;
        assert_eq!(status, 200);
        assert!(html.contains("aria-sort=\"descending\""));
        assert!(
            html.contains("href=\"/reporting?sort=late\""),
            "the other way round"
        );
        assert!(html.contains("<tr class=\"late\">"));
        let (status, _) = app.get("/reporting?dir=sideways").await;
        assert_eq!(status, 400);

        // The dashboard marks the need whose sub-goal is late, and no other; not on a past day.
        let (_, dashboard) = app.get("/").await;
        assert_eq!(
            dashboard.matches("Berichte überfällig: 1").count(),
            1,
            "{dashboard}"
        );
        let strategy = app.count("SELECT MIN(id) FROM strategies").await;
        let (_, past) = app
            .get(&format!("/strategies/{strategy}?as_of=2026-11-01"))
            .await;
        assert!(!past.contains("Berichte überfällig"));

        // The spreadsheet, in the page's order, German: semicolons.
        let (status, csv) = app.get("/reporting.csv?sort=late&dir=desc&lang=de").await;
        assert_eq!(status, 200);
        let rows = common::csv_rows(&csv, b';');
        assert_eq!(rows.len(), subgoals + 1);
        assert_eq!(rows[0][0], "Fachbereich");
        assert_eq!(rows[1][0], "Volkshochschule Mainz");
        assert_eq!(rows[1].last().unwrap(), "227");
        assert_eq!(rows[1][7], "2026-04-14");

        // Closed to strangers while public read is off.
        app.set_public_read(false).await;
        let (status, _) = app.get("/reporting.csv").await;
        assert_eq!(status, 401);
        let (status, _) = app.call("/api/reporting", "").await;
        assert_eq!(status, 401);
    });
}
