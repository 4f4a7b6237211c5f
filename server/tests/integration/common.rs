//! A real app on a throwaway database (a SQLite file, or a PostgreSQL database when
//! `MEILENSTEIN_TEST_POSTGRES` names a server: see `app::store::scratch`), called through its
//! axum router.

#![allow(dead_code)]

use app::store::db;

use app::{
    state::{AppParts, AppState, Clock, Config},
    store::{Store, demo, scratch::Scratch},
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
    /// The site files and anything else a test writes.
    pub dir: tempfile::TempDir,
    /// The database, which `db()` names as `--db` takes it.
    pub scratch: Scratch,
    pub store: Store,
    pub router: Router,
    pub state: AppState,
}

impl TestApp {
    /// The app as `serve` makes a new database: the Mainz demo strategy, one account per role
    /// (see `demo::DEMO_USERS`), public read access on; today fixed.
    pub async fn with_demo() -> TestApp {
        let app = TestApp::empty().await;
        demo::install(&app.store, today()).await.unwrap();
        app
    }

    pub async fn empty() -> TestApp {
        TestApp::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let scratch = Scratch::new().await;
        let store = scratch.open().await.unwrap();
        let site_root = dir.path().join("site");
        std::fs::create_dir_all(site_root.join("pkg")).unwrap();
        let leptos_options = LeptosOptions::builder()
            .output_name("meilenstein")
            .site_root(site_root.to_string_lossy().into_owned())
            .build();
        let state = AppState::new(AppParts {
            leptos_options,
            store: store.clone(),
            clock: Clock {
                fixed_today: Some(today()),
            },
            config,
            refusals: Default::default(),
            login_attempts: Default::default(),
            uploads: Default::default(),
            imports: Default::default(),
            structures: Default::default(),
            fields: Default::default(),
        });
        TestApp {
            router: server::router(state.clone()),
            state,
            store,
            dir,
            scratch,
        }
    }

    /// The app's database as the command line's `--db` takes it (a path or a URL).
    pub fn db(&self) -> &str {
        self.scratch.location()
    }

    /// Puts the refused requests and failed logins counted so far on record, as the server
    /// does once a minute and when it stops; the number of entries written.
    pub async fn put_refusals_on_record(&self) -> usize {
        self.state
            .refusals
            .put_on_record(&self.store, chrono::Utc::now(), true)
            .await
            .unwrap()
    }

    /// The router made again, as a restarted server would (it reads the site files at start).
    pub fn restarted(mut self) -> TestApp {
        self.router = server::router(self.state.clone());
        self
    }

    pub async fn get(&self, uri: &str) -> (u16, String) {
        self.get_as(None, uri).await
    }

    pub async fn get_as(&self, session: Option<&Session>, uri: &str) -> (u16, String) {
        read(self.send(Request::get(uri), session, Body::empty()).await).await
    }

    pub async fn send(
        &self,
        request: axum::http::request::Builder,
        session: Option<&Session>,
        body: Body,
    ) -> Response<Body> {
        let request = match session {
            Some(session) => request.header(header::COOKIE, &session.cookie),
            None => request,
        };
        self.router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap()
    }

    /// Signs in with a demo account (see `demo::DEMO_USERS`).
    pub async fn sign_in(&self, login: &str) -> Session {
        let password = demo::DEMO_USERS
            .iter()
            .find(|u| u.0 == login)
            .map(|u| u.3)
            .expect("a demo login");
        self.sign_in_with(login, password)
            .await
            .expect("demo sign-in works")
    }

    /// Signs in; the session, or the status and body of the refusal.
    pub async fn sign_in_with(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Session, (u16, String)> {
        self.sign_in_from([127, 0, 0, 1], login, password).await
    }

    /// Signs in from a given client address (the rate limit counts per address too).
    pub async fn sign_in_from(
        &self,
        client: [u8; 4],
        login: &str,
        password: &str,
    ) -> Result<Session, (u16, String)> {
        let address = std::net::SocketAddr::from((client, 40000));
        let request = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .extension(axum::extract::ConnectInfo(address))
            .body(Body::from(format!("login={login}&password={password}")))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned());
        match cookie {
            Some(cookie) if response.status().is_success() => Ok(Session { cookie }),
            _ => Err(read(response).await),
        }
    }

    /// A plain HTML form post, as a browser without JavaScript sends it.
    pub async fn post_form(&self, uri: &str, referer: &str, form: &str) -> Response<Body> {
        self.post_form_as(None, uri, referer, form).await
    }

    pub async fn post_form_as(
        &self,
        session: Option<&Session>,
        uri: &str,
        referer: &str,
        form: &str,
    ) -> Response<Body> {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, referer);
        self.send(request, session, Body::from(form.to_owned()))
            .await
    }

    /// A form post without JavaScript that was refused: the page it is sent back to (a path
    /// carrying the error), after checking that it is a redirect with an error.
    pub fn refused_redirect(response: &Response<Body>) -> String {
        assert_eq!(response.status(), 302);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        assert!(location.contains("__err="), "{location}");
        location
            .trim_start_matches("http://127.0.0.1:3000")
            .to_owned()
    }

    /// A server-function call as the hydrated app makes it, by nobody signed in.
    pub async fn call(&self, uri: &str, form: &str) -> (u16, String) {
        self.call_as(None, uri, form).await
    }

    pub async fn call_as(&self, session: Option<&Session>, uri: &str, form: &str) -> (u16, String) {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        read(
            self.send(request, session, Body::from(form.to_owned()))
                .await,
        )
        .await
    }

    pub async fn count_bound(&self, sql: &'static str, value: i64) -> i64 {
        db::query_scalar(sql)
            .bind(value)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        db::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// Turns public read access on or off, as `meilenstein setting public-read` does.
    pub async fn set_public_read(&self, on: bool) {
        self.store
            .set_setting(
                app::store::PUBLIC_READ,
                if on { "on" } else { "off" },
                chrono::Utc::now(),
                &app::audit::Actor::shell(),
            )
            .await
            .unwrap();
    }

    /// What must not change a report made before: a milestone recorded back-dated (due
    /// 2026-10-01, reached 2026-10-15) in the first sub-goal, whose title and weight are then
    /// changed; that sub-goal's id.
    pub async fn rewrite_the_past(&self, admin: &Session) -> i64 {
        let subgoal = self.first_subgoal().await;
        let (status, body) = self
            .call_as(
                Some(admin),
                "/api/milestones/record",
                &format!(
                    "subgoal_id={subgoal}&title=Nachgetragen&due=2026-10-01&status=done&done_on=2026-10-15"
                ),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = self
            .call_as(
                Some(admin),
                "/api/structure/subgoal",
                &format!("id={subgoal}&title=Umbenannt&weight=7"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        subgoal
    }

    pub async fn first_subgoal(&self) -> i64 {
        self.count("SELECT MIN(id) FROM subgoals").await
    }
}

/// Posts `bytes` as the file `name` of a multipart form (the field `file`) to `path`.
pub async fn upload_file(
    app: &TestApp,
    session: &Session,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> Response<Body> {
    let boundary = "----meilenstein-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    app.send(request, Some(session), Body::from(body)).await
}

/// The `meilenstein` binary serving a database file, on a port of its choosing.
pub struct Server {
    pub child: std::process::Child,
    pub addr: String,
}

impl Server {
    pub fn start(db: &str) -> Server {
        Server::start_with(db, &[], &[])
    }

    /// The same with more arguments and environment variables.
    pub fn start_with(db: &str, args: &[&str], envs: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_meilenstein"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db", db])
            .args(args)
            .envs(envs.iter().copied())
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.split("serves http://")
                    .nth(1)
                    .map(|a| a.trim().to_owned())
            })
            .expect("the server says where it listens");
        // Keep draining its log so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, addr }
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// A signed-in session: the cookie to send.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
}

/// Makes a report through the form as a browser without JavaScript sends it; its id.
pub async fn make_report(app: &TestApp, admin: &Session, form: &str) -> i64 {
    let response = app
        .post_form_as(Some(admin), "/api/reports/create", "http://x/reports", form)
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    let id = location
        .strip_prefix("/reports/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("goes to the new report: {location}"));
    assert!(location.contains("done=changed"), "{location}");
    id
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
/// A new throwaway database (see `app::store::scratch`), for tests without a runtime.
pub fn scratch() -> Scratch {
    run(Scratch::new())
}

pub fn run<F>(future: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    RUNTIME.block_on(async { tokio::spawn(future).await.expect("the test task ends") })
}

/// The cells of a CSV download as the app writes them: a byte-order mark, then lines split
/// at `;` (German) or `,` (English).
pub fn csv_rows(text: &str, separator: u8) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a CSV download starts with a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A finished command's exit code, standard output and standard error.
/// Runs the `meilenstein` binary with today fixed (as `TODAY`): its exit code, standard output
/// and standard error.
pub fn meilenstein(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("MEILENSTEIN_TODAY", "2026-11-27")
        .output()
        .unwrap();
    outcome(output)
}

pub fn outcome(output: std::process::Output) -> (i32, String, String) {
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A day written YYYY-MM-DD.
pub fn parse_day(day: &str) -> NaiveDate {
    day.parse().expect("a day as YYYY-MM-DD")
}

/// `hour` o'clock UTC on `day` (YYYY-MM-DD), as the app records moments.
pub fn at_hour(day: &str, hour: u32) -> chrono::DateTime<chrono::Utc> {
    parse_day(day).and_hms_opt(hour, 0, 0).unwrap().and_utc()
}

/// A status report on sub-goal `id` on `day`, as if made then (the row the app writes, dated
/// back, by nobody in particular).
pub async fn reported_on(app: &TestApp, id: i64, day: &str) {
    db::query(
        "INSERT INTO status_reports (subgoal_id, day, kind, at, user_id)
         VALUES ($1, $2, 'change', $3, NULL)",
    )
    .bind(id)
    .bind(parse_day(day))
    .bind(at_hour(day, 9))
    .execute(app.store.pool())
    .await
    .unwrap();
}

/// The `width` and `height` an SVG file declares.
pub fn svg_size(svg: &str) -> (u32, u32) {
    let attribute = |name: &str| -> u32 {
        let start = svg.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
        svg[start..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .expect("a number")
    };
    (attribute("width"), attribute("height"))
}
