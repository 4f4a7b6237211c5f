//! Setting up a strategy in the browser (issue 19) through the server functions: create a
//! strategy, its fields of action with their "builds on" lists, needs, sub-goals and
//! milestones; order them; archive and restore with past views unchanged.

use crate::common::{self, TestApp};
use app::store::db;
use serde_json::Value;

/// The strategy document the download route serves.
async fn document(app: &TestApp, id: i64, query: &str) -> Value {
    let (status, body) = app
        .get(&format!("/strategies/{id}/strategy.json?{query}"))
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn an_admin_builds_a_strategy_from_nothing_through_the_server_functions() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let call = |path: &'static str, form: String| {
            let (app, admin) = (&app, &admin);
            async move { app.call_as(Some(admin), path, &form).await }
        };

        // Every field named with its problem, nothing written.
        let before = app.count("SELECT COUNT(*) FROM strategies").await;
        let (status, body) = call(
            "/api/structure/strategy/create",
            "title=+&city=&period_from=20x4&period_to=1800".into(),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        for field in ["title", "city", "period_from", "period_to"] {
            assert!(body.contains(&format!("\"{field}\"")), "{field} in {body}");
        }
        let (status, body) = call(
            "/api/structure/strategy/create",
            "title=Digitalstrategie&city=Mainz&period_from=2030&period_to=2024".into(),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("EndsBeforeStart"), "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM strategies").await, before);

        let (status, body) = call(
            "/api/structure/strategy/create",
            "title=Digitalstrategie+Mainz&city=Mainz&period_from=2024&period_to=2030\
             &description=Die+Strategie+der+Gutenbergstadt"
                .into(),
        )
        .await;
        assert!(status < 400, "{status} {body}");
        let id = app.count("SELECT MAX(id) FROM strategies").await;
        assert_eq!(id, before + 1);

        // Its page says it has no fields yet, and offers the admin the forms.
        let (status, page) = app.get_as(Some(&admin), &format!("/strategies/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("noch keine Handlungsfelder"), "{page}");
        assert!(page.contains("Mainz"));
        assert!(page.contains("Laufzeit 2024–2030"));
        assert!(page.contains("action=\"/api/structure/field/add\""));

        for (title, goal) in [
            ("Bildung und Zusammenleben", "Chancengleichheit+fördern"),
            ("Verwaltung", ""),
        ] {
            let (status, body) = call(
                "/api/structure/field/add",
                format!(
                    "strategy_id={id}&title={}&goal={goal}",
                    title.replace(' ', "+")
                ),
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }
        let (status, body) = call(
            "/api/structure/field/add",
            format!("strategy_id={id}&title="),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let field: i64 = db::query_scalar(
            "SELECT id FROM fields WHERE strategy_id = $1 ORDER BY position LIMIT 1",
        )
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();

        let (status, _) = call(
            "/api/structure/need/add",
            format!("field_id={field}&title=Digitale+Infrastruktur+an+Schulen"),
        )
        .await;
        assert_eq!(status, 200);
        let need: i64 = db::query_scalar("SELECT MAX(id) FROM needs WHERE field_id = $1")
            .bind(field)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (status, _) = call(
            "/api/structure/subgoal/add",
            format!("need_id={need}&title=WLAN+in+allen+Schulen&owner=Amt+40&weight=2"),
        )
        .await;
        assert_eq!(status, 200);
        let subgoal: i64 = db::query_scalar("SELECT MAX(id) FROM subgoals WHERE need_id = $1")
            .bind(need)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (status, body) = call(
            "/api/milestones/record",
            format!("subgoal_id={subgoal}&title=Ausschreibung&due=2027-03-31&status=planned"),
        )
        .await;
        assert_eq!(status, 200, "{body}");

        let doc = document(&app, id, "lang=de").await;
        let strategy = &doc["strategy"];
        assert_eq!(strategy["title"], "Digitalstrategie Mainz");
        assert_eq!(strategy["city"], "Mainz");
        assert_eq!(
            strategy["period"],
            serde_json::json!({"from": 2024, "to": 2030})
        );
        assert_eq!(strategy["description"], "Die Strategie der Gutenbergstadt");
        assert_eq!(strategy["fields"][0]["goal"], "Chancengleichheit fördern");
        assert_eq!(strategy["fields"][1]["title"], "Verwaltung");
        let sub = &strategy["fields"][0]["needs"][0]["subgoals"][0];
        assert_eq!(sub["owner"], "Amt 40");
        assert_eq!(sub["weight"], 2);
        assert_eq!(sub["milestones"][0]["title"], "Ausschreibung");

        // The strategy is changed as a whole.
        let (status, _) = call(
            "/api/structure/strategy",
            format!("id={id}&title=Mainz+digital&city=Mainz&period_from=2024&period_to=2032"),
        )
        .await;
        assert_eq!(status, 200);
        let doc = document(&app, id, "").await;
        assert_eq!(doc["strategy"]["title"], "Mainz digital");
        assert_eq!(doc["strategy"]["period"]["to"], 2032);
        assert_eq!(doc["strategy"].get("description"), None);

        // Without JavaScript, the form post leads to the new strategy, saying what was done.
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/structure/strategy/create",
                "/admin/strategies",
                "title=Zweite&city=Mainz&period_from=2024&period_to=2030",
            )
            .await;
        assert!(response.status().is_redirection());
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let second = app.count("SELECT MAX(id) FROM strategies").await;
        assert_eq!(location, format!("/strategies/{second}?done=created"));

        // Each step is on record.
        let actions: Vec<String> = db::query_scalar(
            "SELECT action FROM audit_log WHERE action IN
               ('strategy.created', 'strategy.updated', 'field.created') ORDER BY id",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "strategy.created",
                "field.created",
                "field.created",
                "strategy.updated",
                "strategy.created"
            ]
        );
    })
}

#[test]
fn what_a_field_builds_on_is_added_edited_ordered_and_removed() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let list = || async { app.store.builds_on(1).await.unwrap().unwrap() };
        let original = list().await;
        assert!(original.len() >= 2, "{original:?}");
        let call = |form: String| {
            let (app, admin) = (&app, &admin);
            async move {
                app.call_as(Some(admin), "/api/structure/field/builds-on", &form)
                    .await
            }
        };
        let encoded = |text: &str| text.replace(' ', "+").replace('&', "%26");

        let (status, body) = call("field_id=1&op=add&item=Schulcloud+Rheinland-Pfalz".into()).await;
        assert_eq!(status, 200, "{body}");
        let now = list().await;
        assert_eq!(now.last().unwrap(), "Schulcloud Rheinland-Pfalz");
        assert_eq!(now.len(), original.len() + 1);

        // The new last entry up one place, then renamed.
        let last = now.len() - 1;
        let (status, _) = call(format!(
            "field_id=1&op=up&index={last}&was=Schulcloud+Rheinland-Pfalz"
        ))
        .await;
        assert_eq!(status, 200);
        let now = list().await;
        assert_eq!(now[last - 1], "Schulcloud Rheinland-Pfalz");
        assert_eq!(now[last], original[last - 1]);
        let (status, _) = call(format!(
            "field_id=1&op=save&index={}&was=Schulcloud+Rheinland-Pfalz&item=Schulcloud+RLP",
            last - 1
        ))
        .await;
        assert_eq!(status, 200);
        assert_eq!(list().await[last - 1], "Schulcloud RLP");

        // A form showing an entry that is no longer there changes nothing.
        let (status, body) = call(format!(
            "field_id=1&op=remove&index={}&was=Schulcloud+Rheinland-Pfalz",
            last - 1
        ))
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("ChangedMeanwhile"), "{body}");
        // An empty entry is refused by name.
        let (status, body) = call("field_id=1&op=add&item=+".into()).await;
        assert_eq!(status, 422);
        assert!(body.contains("\"item\""), "{body}");

        let (status, _) = call(format!(
            "field_id=1&op=remove&index={}&was=Schulcloud+RLP",
            last - 1
        ))
        .await;
        assert_eq!(status, 200);
        assert_eq!(list().await, original);
        // The first entry does not move further up.
        let (status, _) = call(format!(
            "field_id=1&op=up&index=0&was={}",
            encoded(&original[0])
        ))
        .await;
        assert_eq!(status, 200);
        assert_eq!(list().await, original);

        // The dashboard shows the list as it is.
        let (_, page) = app.get("/strategies/1").await;
        assert!(page.contains(&original[0].replace('&', "&amp;")));
        let entries = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'field.builds_on'")
            .await;
        assert_eq!(entries, 4, "add, up, save, remove");
    })
}

/// The ids of a list in its order.
async fn order(app: &TestApp, sql: &'static str, parent: i64) -> Vec<i64> {
    db::query_scalar(sql)
        .bind(parent)
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

#[test]
fn needs_and_sub_goals_move_up_and_down_one_place() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let needs = "SELECT id FROM needs WHERE field_id = $1 ORDER BY position";
        let before = order(&app, needs, 1).await;
        assert!(before.len() >= 3);
        let step = |kind: &str, id: i64, direction: &str| {
            let form = format!("kind={kind}&id={id}&direction={direction}");
            let (app, admin) = (&app, &admin);
            async move {
                app.call_as(Some(admin), "/api/structure/move", &form)
                    .await
                    .0
            }
        };
        assert_eq!(step("need", before[1], "up").await, 200);
        let after = order(&app, needs, 1).await;
        assert_eq!(after[..2], [before[1], before[0]]);
        assert_eq!(after[2..], before[2..]);
        // The first goes no further up; the dashboard lists them in the new order.
        assert_eq!(step("need", before[1], "up").await, 200);
        assert_eq!(order(&app, needs, 1).await, after);
        let (_, page) = app.get("/strategies/1").await;
        let at = |id: i64| page.find(&format!("href=\"/needs/{id}\"")).unwrap();
        assert!(at(before[1]) < at(before[0]));

        let subgoals = "SELECT id FROM subgoals WHERE need_id = $1 ORDER BY position";
        let first = order(&app, subgoals, before[0]).await;
        assert!(first.len() >= 2);
        assert_eq!(step("subgoal", first[0], "down").await, 200);
        let moved = order(&app, subgoals, before[0]).await;
        assert_eq!(moved[..2], [first[1], first[0]]);
        // Bad words are refused, unknown ids are not found.
        assert_eq!(step("milestone", first[0], "down").await, 400);
        assert_eq!(step("need", first[0], "sideways").await, 400);
        assert_eq!(step("field", 999, "up").await, 404);
    })
}

#[test]
fn an_archived_need_leaves_todays_pages_and_figures_but_not_the_past_and_comes_back() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let need: i64 =
            db::query_scalar("SELECT id FROM needs WHERE field_id = 1 ORDER BY position LIMIT 1")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        let subgoal: i64 = db::query_scalar("SELECT MIN(id) FROM subgoals WHERE need_id = $1")
            .bind(need)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let past_day = common::today() - chrono::Days::new(30);
        let past = format!("/strategies/1?as_of={past_day}");
        let (_, past_before) = app.get(&past).await;
        let (_, today_before) = app.get("/strategies/1").await;
        let doc_before = document(&app, 1, "").await;
        assert!(today_before.contains(&format!("href=\"/needs/{need}\"")));

        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/structure/archive",
                &format!("kind=need&id={need}"),
            )
            .await;
        assert_eq!(status, 200, "{body}");

        // Today: gone from the dashboard, its own page and its sub-goals' pages.
        let (_, today) = app.get("/strategies/1").await;
        assert!(!today.contains(&format!("href=\"/needs/{need}\"")));
        assert_eq!(app.get(&format!("/needs/{need}")).await.0, 404);
        assert_eq!(app.get(&format!("/subgoals/{subgoal}")).await.0, 404);
        // The figures no longer count it.
        let doc = document(&app, 1, "").await;
        let fields = &doc["strategy"]["fields"];
        assert_eq!(fields[0]["needs"][0]["archived"], true);
        assert_ne!(
            doc["strategy"]["progress"], doc_before["strategy"]["progress"],
            "the strategy's progress without the archived need"
        );
        // Nothing of it is changed while archived.
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("subgoal_id={subgoal}&title=Neu&due=2027-01-31&status=planned"),
            )
            .await;
        assert_eq!(status, 404);
        // Nor is anything added to it.
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/structure/subgoal/add",
                &format!("need_id={need}&title=Neu"),
            )
            .await;
        assert_eq!(status, 404);
        // The admin sees it under "Archiviert" with a button to restore it.
        let (_, admin_page) = app.get_as(Some(&admin), "/strategies/1").await;
        assert!(admin_page.contains("action=\"/api/structure/restore\""));

        // The past is as it was.
        let (_, past_after) = app.get(&past).await;
        assert!(
            main_part(&past_after) == main_part(&past_before),
            "a past view does not change"
        );
        // The workbook marks the need's sub-goals and their milestones as archived.
        let response = app
            .send(
                axum::http::Request::get("/strategies/1/strategy.xlsx?lang=de"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = calamine::Reader::worksheet_range(&mut book, "Struktur").unwrap();
        let marked: Vec<String> = sheet
            .rows()
            .skip(1)
            .map(|row| row.get(6).map(|c| c.to_string()).unwrap_or_default())
            .collect();
        let in_need = app
            .count_bound("SELECT COUNT(*) FROM subgoals WHERE need_id = $1", need)
            .await as usize;
        assert_eq!(marked.iter().filter(|m| *m == "ja").count(), in_need);
        assert_eq!(
            marked.len(),
            app.count("SELECT COUNT(*) FROM subgoals").await as usize
        );
        let past_doc = document(&app, 1, &format!("as_of={past_day}")).await;
        assert_eq!(
            past_doc["strategy"]["fields"][0]["needs"][0].get("archived"),
            None
        );

        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/structure/restore",
                &format!("kind=need&id={need}"),
            )
            .await;
        assert_eq!(status, 200);
        let (_, today) = app.get("/strategies/1").await;
        assert!(today.contains(&format!("href=\"/needs/{need}\"")));
        assert_eq!(
            document(&app, 1, "").await["strategy"]["progress"],
            doc_before["strategy"]["progress"]
        );
        let actions: Vec<String> = db::query_scalar(
            "SELECT action FROM audit_log WHERE action IN ('need.archived', 'need.restored')
             ORDER BY id",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(actions, ["need.archived", "need.restored"]);
    })
}

/// A page's `<main>` (what it shows; the head carries a fresh nonce on every response).
fn main_part(page: &str) -> &str {
    let start = page.find("<main").expect("a main element");
    let end = page.find("</main>").expect("a main element");
    &page[start..end]
}

/// Uploads a strategy document as `session`; the preview's token (the upload always leads
/// to its preview, also when the document is refused).
async fn uploaded(app: &TestApp, session: &common::Session, name: &str, bytes: &[u8]) -> String {
    let response = common::upload_file(app, session, "/strategies/import", name, bytes).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix("/admin/strategies/import/")
        .unwrap()
        .to_owned()
}

#[test]
fn an_uploaded_document_is_previewed_then_imported_whole_or_not_at_all() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        // Today's document of the demo, as downloaded, with a byte-order mark as Windows
        // editors write it.
        let (_, text) = app.get("/strategies/1/strategy.json").await;
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(text.as_bytes());
        let token = uploaded(&app, &admin, "strategie-1.json", &bytes).await;

        let (status, page) = app
            .get_as(Some(&admin), &format!("/admin/strategies/import/{token}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("strategie-1.json"));
        assert!(page.contains("Jetzt importieren"), "ready to import");
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/setup/import/preview",
                &format!("token={token}"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let preview: Value = serde_json::from_str(&body).unwrap();
        let counts = &preview["outcome"]["Ready"]["counts"];
        assert_eq!(counts["fields"], 1);
        assert_eq!(
            counts["milestones"],
            app.count("SELECT COUNT(*) FROM milestones").await
        );
        // Nothing is written by the upload or the preview.
        assert_eq!(app.count("SELECT COUNT(*) FROM strategies").await, 1);

        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/setup/import/apply",
                &format!("token={token}"),
            )
            .await;
        assert!(status < 400, "{status} {body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM strategies").await, 2);
        // The imported strategy exports as the original did (but its ids and day).
        let original = document(&app, 1, "").await;
        let copy = document(&app, 2, "").await;
        let parsed = |doc: &Value| app::domain::document::parse(&doc.to_string()).unwrap();
        assert_eq!(parsed(&copy).fields, parsed(&original).fields);
        assert_eq!(parsed(&copy).title, parsed(&original).title);
        // The token is used up.
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/setup/import/apply",
                &format!("token={token}"),
            )
            .await;
        assert_eq!(status, 404);
    })
}

#[test]
fn a_bad_document_lists_every_problem_by_its_path_in_the_users_language() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let bad = r#"{"format": "meilenstein/1", "strategy": {"title": "Test",
            "period": {"from": 2030, "to": 2024},
            "fields": [{"title": "Feld", "needs": [{"title": "Bedarf", "subgoals": [
              {"title": "Teilziel", "milestones": [
                {"title": "A", "due": "2026-02-30", "status": "planned"},
                {"title": "B", "due": "2026-03-01", "status": "fertig"}]}]}]}]}}"#;
        let token = uploaded(&app, &admin, "kaputt.json", bad.as_bytes()).await;
        let (status, page) = app
            .get_as(Some(&admin), &format!("/admin/strategies/import/{token}"))
            .await;
        assert_eq!(status, 200);
        let at = "strategy.fields[0].needs[0].subgoals[0].milestones";
        for expected in [
            "strategy.period.to".to_owned(),
            "Das letzte Jahr liegt vor dem ersten.".to_owned(),
            format!("{at}[0].due"),
            "Kein Datum: „2026-02-30“".to_owned(),
            format!("{at}[1].status"),
            "Unbekannter Status „fertig“".to_owned(),
            "Nichts wurde geschrieben".to_owned(),
        ] {
            assert!(page.contains(&expected), "{expected} in the preview");
        }
        assert!(!page.contains("Jetzt importieren"), "no button to import");
        // In English the same places, in English words.
        let (_, english) = common::read(
            app.send(
                axum::http::Request::get(format!("/admin/strategies/import/{token}"))
                    .header("accept-language", "en"),
                Some(&admin),
                axum::body::Body::empty(),
            )
            .await,
        )
        .await;
        assert!(english.contains("Unknown status “fertig”"), "English words");
        assert!(english.contains(&format!("{at}[1].status")));

        // Applying it anyway writes nothing.
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/setup/import/apply",
                &format!("token={token}"),
            )
            .await;
        assert_eq!(status, 400);
        assert_eq!(app.count("SELECT COUNT(*) FROM strategies").await, 1);

        // Not JSON, not UTF-8, and not an admin.
        for (name, bytes, expected) in [
            ("liste.json", b"Titel;Feld\n".to_vec(), "Kein gültiges JSON"),
            (
                "latin1.json",
                b"{\"format\": \"meilenstein/1\", \"strategy\": {\"title\": \"St\xe4dte\"}}"
                    .to_vec(),
                "kein UTF-8-Text",
            ),
        ] {
            let token = uploaded(&app, &admin, name, &bytes).await;
            let (_, page) = app
                .get_as(Some(&admin), &format!("/admin/strategies/import/{token}"))
                .await;
            assert!(page.contains(expected), "{name}: {expected}");
        }
        // Not a form upload at all.
        let (status, _) = common::read(
            app.send(
                axum::http::Request::post("/strategies/import")
                    .header("content-type", "application/json"),
                Some(&admin),
                axum::body::Body::from(bad),
            )
            .await,
        )
        .await;
        assert_eq!(status, 400);
        let owner = app.sign_in("schulamt").await;
        let response =
            common::upload_file(&app, &owner, "/strategies/import", "s.json", bad.as_bytes()).await;
        assert_eq!(response.status(), 403);
        // Another admin's upload is not found by token.
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/setup/import/preview",
                &format!("token={token}"),
            )
            .await;
        assert_eq!(status, 403);
    })
}

/// Creates an empty strategy as `admin`; its id.
async fn empty_strategy(app: &TestApp, admin: &common::Session, title: &str) -> i64 {
    let (status, body) = app
        .call_as(
            Some(admin),
            "/api/structure/strategy/create",
            &format!("title={title}&city=Mainz&period_from=2025&period_to=2030"),
        )
        .await;
    assert!(status < 400, "{status} {body}");
    app.count("SELECT MAX(id) FROM strategies").await
}

/// Uploads a structure sheet for strategy `id`; its preview as JSON and its token.
async fn sheet_preview(
    app: &TestApp,
    admin: &common::Session,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> (Value, String) {
    let response = common::upload_file(
        app,
        admin,
        &format!("/strategies/{id}/structure"),
        name,
        bytes,
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let token = location
        .strip_prefix("/admin/structure/")
        .unwrap()
        .to_owned();
    let (status, body) = app
        .call_as(
            Some(admin),
            "/api/setup/structure/preview",
            &format!("token={token}"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (serde_json::from_str(&body).unwrap(), token)
}

/// Each field with its needs, each need with its sub-goals (title, owner, weight).
type Shape = Vec<(String, Vec<(String, Vec<(String, Option<String>, f64)>)>)>;

async fn shape(app: &TestApp, id: i64) -> Shape {
    let strategy = app.store.strategy(id).await.unwrap().unwrap();
    strategy
        .fields
        .iter()
        .map(|f| {
            let needs = f
                .needs
                .iter()
                .map(|n| {
                    let subgoals = n
                        .subgoals
                        .iter()
                        .map(|s| (s.title.clone(), s.owner.clone(), s.weight))
                        .collect();
                    (n.title.clone(), subgoals)
                })
                .collect();
            (f.title.clone(), needs)
        })
        .collect()
}

#[test]
fn a_structure_sheet_in_each_office_dialect_sets_up_a_strategy() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let german = "Handlungsfeld;Strategisches Ziel;Handlungsbedarf;Teilziel;Zuständig;Gewicht\r\n\
            Bildung und Zusammenleben;Chancengleichheit fördern;Digitale Infrastruktur;WLAN an allen Schulen;Amt für Schule und Bildung;2\r\n\
            Bildung und Zusammenleben;;Digitale Infrastruktur;Tablets für Grundschulen;Amt für Schule und Bildung;1,5\r\n\
            Verwaltung;Schneller Service;Onlinedienste;OZG-Leistungen anbieten;Hauptamt;\r\n";
        // German Excel's "CSV (Trennzeichen-getrennt)": Windows-1252, semicolons.
        let windows_1252: Vec<u8> = german
            .chars()
            .map(|c| match c {
                'ä' => 0xE4,
                'ö' => 0xF6,
                'ü' => 0xFC,
                c => c as u8,
            })
            .collect();
        // "CSV UTF-8" with a byte-order mark.
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend(german.as_bytes());
        // English headers and commas.
        let english = "Field of action,Strategic goal,Need,Sub-goal,Department,Weight\n\
            Bildung und Zusammenleben,Chancengleichheit fördern,Digitale Infrastruktur,WLAN an allen Schulen,Amt für Schule und Bildung,2\n\
            Bildung und Zusammenleben,,Digitale Infrastruktur,Tablets für Grundschulen,Amt für Schule und Bildung,1.5\n\
            Verwaltung,Schneller Service,Onlinedienste,OZG-Leistungen anbieten,Hauptamt,\n";
        // A workbook.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (row, cells) in english.lines().enumerate() {
            for (col, cell) in cells.split(',').enumerate() {
                match cell.parse::<f64>() {
                    Ok(number) if row > 0 => sheet.write(row as u32, col as u16, number),
                    _ => sheet.write(row as u32, col as u16, cell),
                }
                .unwrap();
            }
        }
        let xlsx = book.save_to_buffer().unwrap();

        let mut shapes = Vec::new();
        for (name, bytes) in [
            ("struktur.csv", windows_1252),
            ("struktur-utf8.csv", utf8),
            ("structure.csv", english.as_bytes().to_vec()),
            ("struktur.xlsx", xlsx),
        ] {
            let id = empty_strategy(&app, &admin, name).await;
            let (preview, token) = sheet_preview(&app, &admin, id, name, &bytes).await;
            let tally = &preview["tally"];
            assert_eq!(tally["new_fields"], 2, "{name}: {preview}");
            assert_eq!(tally["new_needs"], 2, "{name}");
            assert_eq!(tally["new_subgoals"], 3, "{name}");
            assert_eq!(tally["refused"], 0, "{name}");
            let (status, page) = app
                .get_as(Some(&admin), &format!("/admin/structure/{token}"))
                .await;
            assert_eq!(status, 200);
            assert!(page.contains("Tablets für Grundschulen"), "{name}");
            assert!(page.contains("(neu)"));
            let (status, body) = app
                .call_as(
                    Some(&admin),
                    "/api/setup/structure/apply",
                    &format!("token={token}"),
                )
                .await;
            assert!(status < 400, "{name}: {status} {body}");
            let got = shape(&app, id).await;
            assert_eq!(got.len(), 2, "{name}");
            assert_eq!(
                got[0].1[0].1[1].2, 1.5,
                "{name}: the weight read in its dialect"
            );
            assert_eq!(
                got[0].1[0].1[0].1.as_deref(),
                Some("Amt für Schule und Bildung"),
                "{name}: umlauts kept"
            );
            let goal: Option<String> = db::query_scalar(
                "SELECT goal FROM fields WHERE strategy_id = $1 ORDER BY position LIMIT 1",
            )
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
            assert_eq!(goal.as_deref(), Some("Chancengleichheit fördern"));
            shapes.push(got);

            // The same sheet again changes nothing.
            let (again, _) = sheet_preview(&app, &admin, id, name, &bytes).await;
            assert_eq!(again["tally"]["unchanged"], 3, "{name}: {again}");
        }
        assert!(
            shapes.windows(2).all(|w| w[0] == w[1]),
            "every dialect alike"
        );
    })
}

#[test]
fn the_strategy_workbook_sets_up_the_same_structure_and_bad_rows_write_nothing() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let response = app
            .send(
                axum::http::Request::get("/strategies/1/strategy.xlsx?lang=de"),
                Some(&admin),
                axum::body::Body::empty(),
            )
            .await;
        let workbook = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let id = empty_strategy(&app, &admin, "Kopie").await;
        let (preview, token) = sheet_preview(&app, &admin, id, "strategie-1.xlsx", &workbook).await;
        assert_eq!(
            preview["tally"]["new_subgoals"],
            app.count("SELECT COUNT(*) FROM subgoals").await
        );
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/setup/structure/apply",
                &format!("token={token}"),
            )
            .await;
        assert!(status < 400);
        assert_eq!(shape(&app, id).await, shape(&app, 1).await);

        // A sheet with a refused row: nothing of it is written, and the page says why.
        let before = app.count("SELECT COUNT(*) FROM subgoals").await;
        let bad = "Handlungsfeld;Handlungsbedarf;Teilziel;Gewicht\n\
            Neues Feld;Neuer Bedarf;Gut;1\n\
            Neues Feld;;Ohne Bedarf;1\n\
            Neues Feld;Neuer Bedarf;Zu schwer;viel\n\
            Neues Feld;Neuer Bedarf;gut;2\n";
        let (preview, token) = sheet_preview(&app, &admin, id, "fehler.csv", bad.as_bytes()).await;
        assert_eq!(preview["tally"]["refused"], 3, "{preview}");
        let (_, page) = app
            .get_as(Some(&admin), &format!("/admin/structure/{token}"))
            .await;
        for expected in [
            "Bitte ausfüllen.",
            "Keine Zahl.",
            "Dasselbe Teilziel wie in Zeile 2.",
            "Handlungsbedarf",
        ] {
            assert!(page.contains(expected), "{expected}");
        }
        assert!(!page.contains("action=\"/api/setup/structure/apply\""));
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/setup/structure/apply",
                &format!("token={token}"),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(app.count("SELECT COUNT(*) FROM subgoals").await, before);

        // A file without the needed columns is refused whole; strangers and owners cannot upload.
        let (preview, _) =
            sheet_preview(&app, &admin, id, "liste.csv", b"Titel;Datum\nA;1\n").await;
        assert_eq!(
            preview["problem"]["MissingColumn"]["name"], "Handlungsfeld",
            "{preview}"
        );
        let owner = app.sign_in("schulamt").await;
        let response = common::upload_file(
            &app,
            &owner,
            &format!("/strategies/{id}/structure"),
            "s.csv",
            bad.as_bytes(),
        )
        .await;
        assert_eq!(response.status(), 403);
        let response = common::upload_file(
            &app,
            &admin,
            "/strategies/999/structure",
            "s.csv",
            bad.as_bytes(),
        )
        .await;
        assert_eq!(response.status(), 404);
    })
}
