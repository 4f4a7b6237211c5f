//! Rendered pages are kept until anything they show changes, per caller and language, and
//! each response still carries a fresh nonce that matches its policy.

mod common;

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

fn nonce_of(policy: &str) -> String {
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_owned()
}

#[test]
fn a_kept_page_has_a_fresh_nonce_and_changes_with_the_data_the_caller_and_the_language() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (first, first_policy) = page(&app, None, "/needs/1", None).await;
        let (second, second_policy) = page(&app, None, "/needs/1", None).await;
        let (a, b) = (nonce_of(&first_policy), nonce_of(&second_policy));
        assert_ne!(a, b, "a fresh nonce per response");
        assert!(first.contains(&format!("nonce=\"{a}\"")));
        assert!(
            second.contains(&format!("nonce=\"{b}\"")),
            "the page's scripts carry it"
        );
        assert!(!second.contains(&a), "no trace of the earlier nonce");
        assert_eq!(
            first.replace(&a, "N"),
            second.replace(&b, "N"),
            "the same page"
        );

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
        let need_title: String = sqlx::query_scalar("SELECT title FROM needs WHERE id = 1")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (kept, _) = page(&app, None, "/needs/1", None).await;
        assert!(kept.contains(&need_title));
        let other = app::store::Store::open(app.dir.path().join("test.db").to_str().unwrap())
            .await
            .unwrap();
        sqlx::query("UPDATE needs SET title = 'Von außen umbenannt' WHERE id = 1")
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
