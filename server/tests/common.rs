//! A real app on a temporary SQLite file, called through its axum router.

#![allow(dead_code)]

use app::{
    state::{AppState, Clock},
    store::{Store, demo},
};
use axum::{
    Router,
    body::Body,
    http::{Request, Response, header},
};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

pub const TODAY: (i32, u32, u32) = (2026, 11, 27);

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub router: Router,
}

impl TestApp {
    /// The app with the Mainz demo strategy, today fixed.
    pub async fn with_demo() -> TestApp {
        let app = TestApp::empty().await;
        app.store
            .import(&demo::mainz(today()), chrono::Utc::now())
            .await
            .unwrap();
        app
    }

    pub async fn empty() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("test.db");
        let store = Store::open(db.to_str().unwrap()).await.unwrap();
        let site_root = dir.path().join("site");
        std::fs::create_dir_all(site_root.join("pkg")).unwrap();
        let leptos_options = LeptosOptions::builder()
            .output_name("meilenstein")
            .site_root(site_root.to_string_lossy().into_owned())
            .build();
        let state = AppState {
            leptos_options,
            store: store.clone(),
            clock: Clock {
                fixed_today: Some(today()),
            },
        };
        TestApp {
            router: server::router(state),
            store,
            dir,
        }
    }

    pub async fn get(&self, uri: &str) -> (u16, String) {
        let request = Request::get(uri).body(Body::empty()).unwrap();
        read(self.router.clone().oneshot(request).await.unwrap()).await
    }

    /// A plain HTML form post, as a browser without JavaScript sends it.
    pub async fn post_form(&self, uri: &str, referer: &str, form: &str) -> Response<Body> {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, referer)
            .body(Body::from(form.to_owned()))
            .unwrap();
        self.router.clone().oneshot(request).await.unwrap()
    }

    /// A server-function call as the hydrated app makes it.
    pub async fn call(&self, uri: &str, form: &str) -> (u16, String) {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(form.to_owned()))
            .unwrap();
        read(self.router.clone().oneshot(request).await.unwrap()).await
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    pub async fn first_subgoal(&self) -> i64 {
        self.count("SELECT MIN(id) FROM subgoals").await
    }
}

pub async fn read(response: Response<Body>) -> (u16, String) {
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// One multi-threaded runtime for every test in the binary, as the server has one.
static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the test runtime starts")
});

/// Runs a test on the shared runtime, as a spawned task like every request the server handles.
pub fn run<F>(future: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    RUNTIME.block_on(async { tokio::spawn(future).await.expect("the test task ends") })
}
