//! Rendered pages are kept until anything they show changes, per caller and language; a kept
//! page is the same bytes every time, its inline scripts named in its policy by their hashes,
//! compressed once as the request accepts. `x-cache` tells a kept page (`hit`) from a
//! rendered one (`miss`).

use crate::common;
use app::store::db;

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{Session, TestApp, read};

/// The page and its policy header.
async fn page(
    app: &TestApp,
    session: Option<&Session>,
    uri: &str,
    cookie: Option<&str>,
) -> (String, String) {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app.send(request, session, Body::empty()).await;
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let (status, html) = read(response).await;
    assert_eq!(status, 200, "{uri}");
    (html, policy)
}

/// The hashes a policy allows scripts by.
fn hashes_of(policy: &str) -> Vec<String> {
    let mut hashes: Vec<String> = policy
        .split('\'')
        .filter(|part| part.starts_with("sha256-"))
        .map(str::to_owned)
        .collect();
    hashes.sort();
    hashes
}

/// The SHA-256 of each inline script of a page, as a policy names it.
fn script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::Digest;
    let mut hashes: Vec<String> = html
        .split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, rest) = rest.split_once('>')?;
            let (body, _) = rest.split_once("</script>")?;
            (!tag.contains(" src=")).then(|| {
                format!(
                    "sha256-{}",
                    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body))
                )
            })
        })
        .collect();
    hashes.sort();
    hashes
}

#[test]
fn a_kept_page_is_the_same_bytes_with_its_scripts_hashed_and_changes_with_the_data_the_caller_and_the_language()
 {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (first, first_policy) = page(&app, None, "/needs/1", None).await;
        assert_eq!(cache_of(&app, None, "/needs/1").await, "hit");
        let (second, second_policy) = page(&app, None, "/needs/1", None).await;
        assert_eq!(first, second, "the same bytes");
        assert_eq!(first_policy, second_policy);
        assert!(!first.contains("nonce="), "no nonce left in the page");
        assert!(!first_policy.contains("'nonce-"), "{first_policy}");
        // Every inline script is allowed by its hash, and nothing inline else: as strict as
        // a nonce.
        let allowed = hashes_of(&first_policy);
        assert_eq!(allowed, script_hashes(&first), "{first_policy}");
        assert!(allowed.len() >= 2, "the hydration scripts: {allowed:?}");
        let script_src = first_policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(script_src.contains("'self'") && script_src.contains("'wasm-unsafe-eval'"));

        // A change through the app shows at once.
        let admin = app.sign_in("cdo").await;
        let subgoal = app
            .count("SELECT MIN(id) FROM subgoals WHERE need_id = 1")
            .await;
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("subgoal_id={subgoal}&title=Funknetz+Rathaus&due=2027-05-31&status=planned&weight=1"),
            )
            .await;
        assert_eq!(status, 200);
        let (html, _) = page(&app, None, &format!("/subgoals/{subgoal}"), None).await;
        assert!(html.contains("Funknetz Rathaus"));
        // So does a change made by another process directly in the database file.
        let need_title: String = db::query_scalar("SELECT title FROM needs WHERE id = 1")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (kept, _) = page(&app, None, "/needs/1", None).await;
        assert!(kept.contains(&need_title));
        let other = app::store::Store::open(app.db()).await.unwrap();
        db::query("UPDATE needs SET title = 'Von außen umbenannt' WHERE id = 1")
            .execute(other.pool())
            .await
            .unwrap();
        // Another process's change is looked for at most every 200 ms.
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        let (html, _) = page(&app, None, "/needs/1", None).await;
        assert!(html.contains("Von außen umbenannt") && !html.contains(&need_title));

        // Each caller gets their own page: the admin's editing forms are never shown to others.
        let (as_admin, _) = page(&app, Some(&admin), "/needs/1", None).await;
        let (as_public, _) = page(&app, None, "/needs/1", None).await;
        assert!(as_admin.contains("/api/structure/need"));
        assert!(!as_public.contains("/api/structure/need"));

        // And each language preference its own.
        let (english, _) = page(&app, None, "/needs/1", Some("i18n_pref_locale=en")).await;
        let (german, _) = page(&app, None, "/needs/1", None).await;
        assert!(english.contains("lang=\"en\"") && german.contains("lang=\"de\""));
    })
}

#[test]
fn made_up_language_headers_share_the_page_of_the_language_they_name() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let cache_with = |language: &'static str| {
            let app = &app;
            async move {
                let request = Request::get("/needs/1").header(header::ACCEPT_LANGUAGE, language);
                let response = app.send(request, None, Body::empty()).await;
                let cache = response.headers()[server::CACHE_HEADER]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let (_, html) = read(response).await;
                (cache, html)
            }
        };
        assert_eq!(cache_with("de-DE,de;q=0.9").await.0, "miss");
        for german in ["de", "fr, de-AT;q=0.5", "xx-made-up", "de;q=0.1, en;q=0"] {
            let (cache, html) = cache_with(german).await;
            assert_eq!(cache, "hit", "{german}");
            assert!(html.contains("<html lang=\"de\""), "{german}");
        }
        assert_eq!(cache_with("en-GB").await.0, "miss");
        let (cache, html) = cache_with("fr;q=0.9, en-US;q=0.8, de;q=0.7").await;
        assert_eq!(cache, "hit");
        assert!(html.contains("<html lang=\"en\""));
    })
}

/// Whether the page came kept (`hit`) or rendered (`miss`).
async fn cache_of(app: &TestApp, session: Option<&Session>, uri: &str) -> String {
    let response = app.send(Request::get(uri), session, Body::empty()).await;
    assert_eq!(response.status(), 200, "{uri}");
    response.headers()[server::CACHE_HEADER]
        .to_str()
        .unwrap()
        .to_owned()
}

/// The demo's pages as the admin sees them: the dashboard, two needs of the first field with
/// one sub-goal each, and the audit log.
struct Pages {
    uris: Vec<(&'static str, String)>,
    subgoals: (i64, i64),
}

impl Pages {
    async fn of(app: &TestApp) -> Pages {
        let tree = app.store.strategy(1).await.unwrap().unwrap();
        let (one, two) = (&tree.fields[0].needs[0], &tree.fields[0].needs[1]);
        let subgoals = (one.subgoals[0].id, two.subgoals[0].id);
        let uris = vec![
            ("dashboard", "/strategies/1".to_owned()),
            ("need one", format!("/needs/{}", one.id)),
            ("need one's sub-goal", format!("/subgoals/{}", subgoals.0)),
            ("need two", format!("/needs/{}", two.id)),
            ("need two's sub-goal", format!("/subgoals/{}", subgoals.1)),
            ("audit log", "/admin/audit".to_owned()),
        ];
        Pages { uris, subgoals }
    }

    /// The pages rendered again since the last look, by name; every page is kept after it.
    async fn stale(&self, app: &TestApp, admin: &Session) -> Vec<&'static str> {
        let mut stale = Vec::new();
        for (name, uri) in &self.uris {
            if cache_of(app, Some(admin), uri).await == "miss" {
                stale.push(*name);
            }
        }
        for (name, uri) in &self.uris {
            assert_eq!(
                cache_of(app, Some(admin), uri).await,
                "hit",
                "{name} is kept"
            );
        }
        stale
    }
}

#[test]
fn each_change_makes_exactly_the_pages_that_show_it_stale() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let pages = Pages::of(&app).await;
        pages.stale(&app, &admin).await;
        assert!(pages.stale(&app, &admin).await.is_empty(), "all kept");
        let need_one = ["dashboard", "need one", "need one's sub-goal", "audit log"];
        let need_two = ["dashboard", "need two", "need two's sub-goal", "audit log"];
        let (one, two) = pages.subgoals;

        // A milestone of need one.
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("subgoal_id={one}&title=Funknetz&due=2027-05-31&status=planned&weight=1"),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(pages.stale(&app, &admin).await, need_one, "a milestone");

        // An indicator of need two.
        let indicator = format!(
            "subgoal_id={two}&name=Kurse&unit=Kurse&direction=rising&baseline_value=1\
             &baseline_on=2025-01-01&target_value=9&target_on=2027-12-31"
        );
        let (status, _) = app
            .call_as(Some(&admin), "/api/indicators/add", &indicator)
            .await;
        assert_eq!(status, 200);
        assert_eq!(pages.stale(&app, &admin).await, need_two, "an indicator");

        // Structure: a need renamed shows on its pages and where all needs are listed; a field
        // renamed on every page of its needs.
        let tree = app.store.strategy(1).await.unwrap().unwrap();
        let need = tree.fields[0].needs[0].id;
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/structure/need",
                &format!("id={need}&title=Neu"),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(pages.stale(&app, &admin).await, need_one, "a need renamed");
        let field = tree.fields[0].id;
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/structure/field",
                &format!("id={field}&title=Feld"),
            )
            .await;
        assert_eq!(status, 200);
        let everything: Vec<&str> = pages.uris.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            pages.stale(&app, &admin).await,
            everything,
            "a field renamed"
        );

        // A setting: every page.
        let (status, _) = app
            .call_as(Some(&admin), "/api/admin/settings/public-read", "on=true")
            .await;
        assert_eq!(status, 200);
        assert_eq!(pages.stale(&app, &admin).await, everything, "a setting");

        // Refused requests and failed logins: counted, no page stale; on record, the log.
        for _ in 0..20 {
            let (status, _) = app
                .call(
                    "/api/milestones/record",
                    &format!("subgoal_id={one}&title=x"),
                )
                .await;
            assert_eq!(status, 401);
        }
        app.sign_in_with("cdo", "falsch-falsch-falsch")
            .await
            .unwrap_err();
        assert!(
            pages.stale(&app, &admin).await.is_empty(),
            "refusals counted"
        );
        assert_eq!(app.put_refusals_on_record().await, 2);
        assert_eq!(
            pages.stale(&app, &admin).await,
            ["audit log"],
            "refusals on record"
        );

        // A login: the log only.
        app.sign_in("vhs").await;
        assert_eq!(pages.stale(&app, &admin).await, ["audit log"], "a login");
    })
}

#[test]
fn a_flood_of_refused_requests_keeps_every_page_and_adds_a_bounded_number_of_entries() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let pages = Pages::of(&app).await;
        pages.stale(&app, &admin).await;
        let entries = app.count("SELECT COUNT(*) FROM audit_log").await;
        let (one, _) = pages.subgoals;
        let owner = app.sign_in("vhs").await;
        let entries_after_login = app.count("SELECT COUNT(*) FROM audit_log").await;
        assert_eq!(entries_after_login, entries + 1);
        pages.stale(&app, &admin).await;

        // 2,000 refused requests from three kinds of caller: nobody signed in, an owner of
        // other sub-goals, and wrong passwords.
        for i in 0..2000 {
            let (status, _) = match i % 4 {
                0 | 1 => {
                    app.call(
                        "/api/milestones/record",
                        &format!("subgoal_id={one}&title=x"),
                    )
                    .await
                }
                2 => {
                    app.call_as(
                        Some(&owner),
                        "/api/milestones/record",
                        &format!("subgoal_id={one}&title=x&due=2027-01-01&status=planned&weight=1"),
                    )
                    .await
                }
                _ => app
                    .sign_in_from([198, 51, 100, 7], "cdo", "falsch-falsch-falsch")
                    .await
                    .unwrap_err(),
            };
            assert!(matches!(status, 401 | 403 | 429), "{status}");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            entries_after_login,
            "nothing written per request"
        );
        assert!(
            pages.stale(&app, &admin).await.is_empty(),
            "every page kept"
        );

        let written = app.put_refusals_on_record().await;
        assert!(
            (4..=8).contains(&written),
            "a few entries, not 2,000: {written}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            entries_after_login + written as i64
        );
        let counted: i64 = app
            .store
            .audit_entries()
            .await
            .unwrap()
            .iter()
            .filter(|e| ["access.denied", "login.failed", "login.refused"].contains(&&*e.action))
            .map(|e| {
                let details: serde_json::Value = serde_json::from_str(&e.details).unwrap();
                details["count"].as_i64().unwrap()
            })
            .sum();
        assert_eq!(counted, 2000, "every refusal counted");
        assert!(matches!(
            app::audit::verify(&app.store.audit_entries().await.unwrap()),
            app::audit::Verdict::Intact { .. }
        ));
        assert_eq!(pages.stale(&app, &admin).await, ["audit log"]);
    })
}

#[test]
fn a_kept_page_is_sent_compressed_as_the_request_accepts_and_compressed_once() {
    use http_body_util::BodyExt;
    common::run(async {
        let app = TestApp::with_demo().await;
        let (plain, _) = page(&app, None, "/", None).await;
        let fetch = |accept: &'static str| {
            let app = &app;
            async move {
                let request = Request::get("/").header(header::ACCEPT_ENCODING, accept);
                let response = app.send(request, None, Body::empty()).await;
                let headers = response.headers().clone();
                let body = response.into_body().collect().await.unwrap().to_bytes();
                (headers, body)
            }
        };
        let (headers, br) = fetch("gzip, deflate, br").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "br");
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(
            headers[header::CONTENT_LENGTH],
            br.len().to_string().as_str()
        );
        assert_eq!(headers[server::CACHE_HEADER], "hit");
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut br.as_ref(), &mut unpacked).unwrap();
        assert_eq!(String::from_utf8(unpacked).unwrap(), plain);
        assert!(
            br.len() * 4 < plain.len(),
            "{} of {} bytes",
            br.len(),
            plain.len()
        );
        // The same compressed bytes for the next one: compressed once, not per response.
        let (_, again) = fetch("br").await;
        assert_eq!(again, br);

        let (headers, gz) = fetch("br;q=0, gzip").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
        let mut unpacked = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(gz.as_ref()),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, plain);

        let (headers, body) = fetch("identity").await;
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body, plain.as_bytes());
    })
}

/// What the dashboard's pieces header says of a response.
async fn pieces_of(app: &TestApp, session: Option<&Session>, uri: &str) -> (String, String) {
    let response = app.send(Request::get(uri), session, Body::empty()).await;
    assert_eq!(response.status(), 200, "{uri}");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    (header(server::CACHE_HEADER), header(server::PIECES_HEADER))
}

#[test]
fn a_save_renders_again_only_its_own_field_of_the_dashboard_and_keeps_the_others() {
    common::run(async {
        let app = TestApp::empty().await;
        let now = common::today().and_hms_opt(12, 0, 0).unwrap().and_utc();
        let id = app.store.install_scale(300, 2, now).await.unwrap();
        let dashboard = format!("/strategies/{id}");
        let fields = app
            .count_bound("SELECT COUNT(*) FROM fields WHERE strategy_id = $1", id)
            .await;
        assert!(fields >= 3, "{fields} fields");
        let (cache, pieces) = pieces_of(&app, None, &dashboard).await;
        assert_eq!(
            (cache.as_str(), pieces),
            ("miss", format!("kept 0, made {fields}"))
        );
        assert_eq!(pieces_of(&app, None, &dashboard).await.0, "hit");

        // A milestone of the first field's first need: that field is made again, the others
        // come as they were kept, and the page shows the new state.
        let admin = app.sign_in("cdo").await;
        let (need, subgoal): (i64, i64) = db::query_as(
            "SELECT n.id, MIN(s.id) FROM needs n JOIN subgoals s ON s.need_id = n.id
             WHERE n.field_id = (SELECT MIN(id) FROM fields WHERE strategy_id = $1)
             GROUP BY n.id ORDER BY n.id LIMIT 1",
        )
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        let done_before = app
            .count_bound(
                "SELECT COUNT(*) FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
                 WHERE s.need_id = $1 AND m.status = 'done'",
                need,
            )
            .await;
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!(
                    "subgoal_id={subgoal}&title=Stück+für+Stück&due=2027-05-31&status=done&done_on={}&weight=1",
                    common::today()
                ),
            )
            .await;
        assert_eq!(status, 200);
        let (cache, pieces) = pieces_of(&app, None, &dashboard).await;
        assert_eq!(
            (cache.as_str(), pieces),
            ("miss", format!("kept {}, made 1", fields - 1))
        );
        let (status, html) = read(
            app.send(Request::get(&*dashboard), None, Body::empty())
                .await,
        )
        .await;
        assert_eq!(status, 200);
        let row = html
            .split(&format!("href=\"/needs/{need}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap();
        assert!(row.contains(&format!(">{}</td>", done_before + 1)), "{row}");

        // The other language is its own set of pieces; a change not confined to one need
        // (the reporting grace days, which every field's late reports depend on) makes
        // every field again.
        let request = Request::get(&*dashboard).header(header::COOKIE, "i18n_pref_locale=en");
        let response = app.send(request, None, Body::empty()).await;
        assert_eq!(
            response.headers()[server::PIECES_HEADER],
            format!("kept 0, made {fields}").as_str()
        );
        let (status, _) = app
            .call_as(Some(&admin), "/api/admin/settings/grace-days", "days=9")
            .await;
        assert_eq!(status, 200);
        let (_, pieces) = pieces_of(&app, None, &dashboard).await;
        assert_eq!(pieces, format!("kept 0, made {fields}"));
        let (_, pieces) = pieces_of(&app, Some(&admin), &dashboard).await;
        assert_eq!(
            pieces,
            format!("kept {fields}, made 0"),
            "the admin's page, from the same pieces"
        );
    })
}

/// Gets `uri` once for each session given, all at once (each a task of its own, as the server
/// runs its requests); how each page came (`x-cache`) and the page, in that order.
async fn at_once(app: &TestApp, uri: &str, sessions: &[Option<&Session>]) -> Vec<(String, String)> {
    use tower::ServiceExt;
    let tasks: Vec<_> = sessions
        .iter()
        .map(|session| {
            let mut request = Request::get(uri);
            if let Some(session) = session {
                request = request.header(header::COOKIE, &session.cookie);
            }
            let request = request.body(Body::empty()).unwrap();
            let router = app.router.clone();
            tokio::spawn(async move {
                let response = router.oneshot(request).await.unwrap();
                let cache = response.headers()[server::CACHE_HEADER]
                    .to_str()
                    .unwrap()
                    .to_owned();
                let (status, html) = read(response).await;
                assert_eq!(status, 200);
                (cache, html)
            })
        })
        .collect();
    let mut pages = Vec::new();
    for task in tasks {
        pages.push(task.await.unwrap());
    }
    pages
}

/// Records a milestone titled `title` for `subgoal` as `session`.
async fn save(app: &TestApp, session: &Session, subgoal: i64, title: &str) {
    let (status, body) = app
        .call_as(
            Some(session),
            "/api/milestones/record",
            &format!("subgoal_id={subgoal}&title={title}&due=2027-05-31&status=planned&weight=1"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[test]
fn while_a_stale_page_is_rendered_again_its_readers_get_it_as_kept_but_the_one_who_saved_waits() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let subgoal = app.first_subgoal().await;
        let uri = format!("/subgoals/{subgoal}");
        assert_eq!(cache_of(&app, None, &uri).await, "miss");
        assert_eq!(cache_of(&app, Some(&admin), &uri).await, "miss");
        save(&app, &admin, subgoal, "Frisch+gespeichert").await;

        // Readers and the one who saved, at once: one reader renders the page again, the
        // others get it as it was meanwhile (or, once it is kept, the new one); the one who
        // saved gets the page with the save, every time.
        let crowd: Vec<Option<&Session>> =
            (0..12).map(|i| (i % 3 == 0).then_some(&admin)).collect();
        let pages = at_once(&app, &uri, &crowd).await;
        let mut readers = (0, 0, 0);
        for (session, (cache, html)) in crowd.iter().zip(&pages) {
            let saved = html.contains("Frisch gespeichert");
            match (session.is_some(), cache.as_str()) {
                (true, "miss" | "hit") => assert!(saved, "the one who saved sees the save"),
                (true, other) => panic!("the one who saved got a page {other}"),
                (false, "miss") => (readers.0 += 1, assert!(saved)).1,
                (false, "hit") => (readers.1 += 1, assert!(saved)).1,
                (false, "stale") => (readers.2 += 1, assert!(!saved, "as it was")).1,
                (false, other) => panic!("x-cache: {other}"),
            }
        }
        // (Rendered by a reader, or in the background when the one who saved took the
        // renders.)
        assert!(
            readers.0 <= 1,
            "rendered again once for all readers: {readers:?}"
        );
        assert!(
            readers.2 >= 1,
            "readers got the page as it was meanwhile: {readers:?}"
        );
        let mut tries = 0;
        while cache_of(&app, None, &uri).await != "hit" {
            tries += 1;
            assert!(tries < 100, "the page is rendered again and kept");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let (_, html) = app.get(&uri).await;
        assert!(
            html.contains("Frisch gespeichert"),
            "after the render, the new page"
        );

        // One after another, nobody misses a save, whoever saved it.
        save(&app, &admin, subgoal, "Gleich+sichtbar").await;
        let (_, html) = app.get(&uri).await;
        assert!(html.contains("Gleich sichtbar"));

        // A page rendered longer ago than MAX_STALE is not sent as it was: the crowd waits
        // for its render.
        tokio::time::sleep(server::MAX_STALE).await;
        save(&app, &admin, subgoal, "Lange+her").await;
        let pages = at_once(&app, &uri, &[None; 6]).await;
        for (cache, html) in &pages {
            assert_ne!(cache, "stale");
            assert!(html.contains("Lange her"), "{cache}");
        }
    })
}

#[test]
fn a_stale_page_no_render_is_free_for_is_rendered_again_in_the_background() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let tree = app.store.strategy(1).await.unwrap().unwrap();
        // The demo's five needs and the dashboard.
        let needs: Vec<String> = tree
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .map(|n| format!("/needs/{}", n.id))
            .chain(["/strategies/1".to_owned()])
            .collect();
        assert_eq!(needs.len(), 6);
        for uri in &needs {
            assert_eq!(cache_of(&app, None, uri).await, "miss");
        }
        // Not confined to one need: every need's page and the dashboard
        // are stale.
        let (status, _) = app
            .call_as(Some(&admin), "/api/admin/settings/grace-days", "days=9")
            .await;
        assert_eq!(status, 200);

        // Six stale pages asked at once: as many are rendered as there are renders (cores);
        // the others are sent as they were and rendered in the background.
        let tasks: Vec<_> = needs
            .iter()
            .map(|uri| {
                let (app, uri) = (app.router.clone(), uri.clone());
                tokio::spawn(async move {
                    use tower::ServiceExt;
                    let request = Request::get(&uri).body(Body::empty()).unwrap();
                    let response = app.oneshot(request).await.unwrap();
                    response.headers()[server::CACHE_HEADER]
                        .to_str()
                        .unwrap()
                        .to_owned()
                })
            })
            .collect();
        let mut came = Vec::new();
        for task in tasks {
            came.push(task.await.unwrap());
        }
        let stale: Vec<&String> = needs
            .iter()
            .zip(&came)
            .filter(|(_, cache)| *cache == "stale")
            .map(|(uri, _)| uri)
            .collect();
        assert!(!stale.is_empty(), "{came:?}");
        assert!(came.iter().all(|c| c == "miss" || c == "stale"), "{came:?}");
        // Those come kept once the background has rendered them, without anyone waiting.
        for uri in stale {
            let mut tries = 0;
            while cache_of(&app, None, uri).await != "hit" {
                tries += 1;
                assert!(tries < 100, "{uri} is rendered in the background and kept");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    })
}
