//! The web server: routes, the open-data API, static files and the server-function endpoint.
//! `router` is the whole application as one axum `Router`, which the tests call directly.

mod assets;
pub mod fonts;
mod page_cache;
pub use page_cache::{CACHE_HEADER, MAX_STALE, PIECES_HEADER};
pub mod png;
pub mod reminders;
pub mod report_files;
mod security;
pub mod spreadsheet_files;
pub mod strategy_files;
pub mod templates;
pub mod writers;

use app::{
    app::{App, shell},
    auth::Caller,
    chart_views::{ChartKind, ssr as charts},
    components::notice::{self, Done},
    domain::{access, document, progress},
    error::AppError,
    i18n::Locale,
    server_fns::admin::{self, LogFilter},
    server_fns::guard,
    server_fns::strategy::{StrategyItem, ssr as strategy},
    state::AppState,
};
use axum::{
    Extension, Form, Json, Router,
    body::Body,
    extract::Query,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::sync::LazyLock;

/// Error bodies of server functions are small; anything larger is not one of ours.
const MAX_ERROR_BODY: usize = 1 << 20;

/// The app's routes, found once per process. Finding them renders the app with resource
/// loading switched off process-wide (a global flag in leptos), so it must never overlap with
/// serving a page: doing it once, before the first router exists, guarantees that.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// The socket the server listens on. A response goes out in several writes (headers, then a
/// page in pieces); with Nagle's algorithm the last small write waited for the browser's
/// delayed acknowledgement, up to 40 ms on Linux, so every connection sends at once.
pub async fn listen(
    addr: std::net::SocketAddr,
) -> std::io::Result<axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>> {
    fn send_at_once(connection: &mut tokio::net::TcpStream) {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    Ok(axum::serve::ListenerExt::tap_io(
        listener,
        send_at_once as fn(&mut _),
    ))
}

pub fn router(state: AppState) -> Router {
    let mut state = state.into_parts();
    let routes = ROUTES.clone();
    let options = &state.leptos_options;
    let site = assets::Site::load(
        std::path::Path::new(&*options.site_root),
        &options.site_pkg_dir,
        &options.output_name,
    );
    // The pages name the bundle's files by their hash (see `assets`).
    state.leptos_options.output_name = site.bundle.into();
    let state = AppState::new(state);
    let context_state = state.clone();
    let app = Router::new()
        .route("/api/v1/strategies", get(api_strategies))
        .route("/api/v1/strategies/{id}", get(api_strategy))
        .route("/lang", post(switch_language))
        .route("/admin/audit.csv", get(audit_csv))
        .route("/charts/{file}", get(chart_download))
        .route("/reports/{id}/overview.csv", get(report_csv))
        .route("/reporting.csv", get(board_csv))
        .route("/templates/{file}", get(template_download))
        .route("/strategies/{id}/{file}", get(strategy_download))
        .route(
            "/strategies/import",
            post(strategy_import_upload).layer(axum::extract::DefaultBodyLimit::max(
                app::server_fns::setup::ssr::MAX_DOCUMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/strategies/{id}/structure",
            post(structure_upload).layer(axum::extract::DefaultBodyLimit::max(
                app::domain::bulk::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/bulk/upload",
            post(bulk_upload).layer(axum::extract::DefaultBodyLimit::max(
                app::domain::bulk::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route("/reports/{id}/report.pdf", get(report_file))
        .route("/reports/{id}/report.xlsx", get(report_file))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .with_state(state.clone());
    // What every request but a static file passes through, outermost first, around the whole
    // app at once: `Router::layer` wraps each route in each layer, and every layer cloned
    // the boxed layers inside it for each request (a dozen allocations for a kept page, 11 %
    // of the server's time serving one at 100,000 milestones; `perf`).
    let guarded = tower::ServiceBuilder::new()
        // Everything a write does, from finding its session on, runs on the write threads.
        .layer(middleware::from_fn(writers::answer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new((state, page_cache::PageCache::default())),
            page_cache::serve,
        ))
        .layer(middleware::from_fn(form_post_outcome))
        .layer(middleware::map_response(server_fn_error_status))
        .layer(Extension(std::sync::Arc::new(
            report_files::Files::default(),
        )))
        .service(app);
    // Static files need no session: served from memory, outside the guard.
    Router::new()
        .merge(
            Router::new()
                .route("/pkg/{file}", get(assets::package_file))
                .with_state(site.package),
        )
        .merge(
            Router::new()
                .route("/favicon.svg", get(assets::site_file))
                .with_state(site.root),
        )
        .fallback_service(guarded)
}

/// Leptos answers every server-function error with 500; here the status follows the error
/// (422 for a refused form, 409 for a conflict …), so only a real fault reads as one.
async fn server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A form posted without JavaScript comes back to its page (a server function answers it with
/// a redirect to the `Referer`): after a change that worked, the address says what was done
/// (`?done=…`, which the page says at its top); the `done` of an earlier post is dropped.
async fn form_post_outcome(request: axum::extract::Request, next: middleware::Next) -> Response {
    let endpoint = request
        .uri()
        .path()
        .strip_prefix("/api/")
        .filter(|_| request.method() == axum::http::Method::POST)
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let Some(endpoint) = endpoint else {
        return response;
    };
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
    else {
        return response;
    };
    let refused = location.contains("__err=");
    let done = if refused {
        None
    } else {
        Done::after(&endpoint)
    };
    if let Ok(value) = HeaderValue::from_str(&notice::with_done(location, done)) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Reading, as for the pages: a refusal is put on record like every other.
async fn may_read(state: &AppState, caller: &Caller, what: &str) -> Result<(), AppError> {
    match access::may_read(caller.account.as_ref(), state.store.public_read().await?) {
        Ok(()) => Ok(()),
        Err(denied) => Err(guard::refuse(state, caller, denied, what)),
    }
}

/// `?as_of=YYYY-MM-DD` on the open-data routes: the figures as they stood at the end of that
/// day.
#[derive(Deserialize)]
struct AsOfQuery {
    as_of: Option<String>,
}

impl AsOfQuery {
    /// The day asked for, checked (a date, not ahead); `None` for today's figures.
    fn day(&self, state: &AppState) -> Result<Option<chrono::NaiveDate>, AppError> {
        let text = self.as_of.as_deref().unwrap_or("");
        app::domain::validation::as_of(text, state.clock.today())
            .map_err(|problem| AppError::BadRequest(format!("as_of: {problem}: {text:?}")))
    }
}

/// `GET /api/v1/strategies`: id, title and progress of every strategy.
async fn api_strategies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<Vec<StrategyItem>>, AppError> {
    may_read(&state, &caller, "read the strategies (open data)").await?;
    let day = query.day(&state)?;
    let mut items = Vec::new();
    for header in state.store.strategies().await? {
        let strategy = match strategy::load(&state, Some(header.id), day).await {
            Ok(strategy) => strategy,
            // Removed meanwhile.
            Err(AppError::NotFound) => continue,
            Err(error) => return Err(error),
        };
        items.push(StrategyItem {
            id: strategy.id,
            progress: progress::of_strategy(&strategy),
            title: strategy.title.clone(),
        });
    }
    Ok(Json(items))
}

/// `GET /api/v1/strategies/{id}`: the strategy document with computed keys.
async fn api_strategy(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    may_read(&state, &caller, &format!("read strategy {id} (open data)")).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("not a strategy id: {id:?}")))?;
    let day = query.day(&state)?;
    let strategy = state
        .store
        .strategy_with_archived(id, day.map(|day| state.clock.end_of(day)))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(document::export(
        &strategy,
        day.unwrap_or_else(|| state.clock.today()),
    )))
}

#[derive(Deserialize)]
struct ChartQuery {
    lang: Option<String>,
    as_of: Option<String>,
    scale: Option<u32>,
}

/// `GET /charts/{need|field|indicator}-{id}-{chart}.{svg|png|csv}?lang=de&as_of=YYYY-MM-DD`: a chart as the page
/// shows it, as a file: the SVG, a PNG for slides (`scale` 1–4, default 1: the chart's size),
/// or its figures as CSV.
async fn chart_download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(file): Path<String>,
    headers: axum::http::HeaderMap,
    Query(query): Query<ChartQuery>,
) -> Result<Response, AppError> {
    may_read(&state, &caller, &format!("download chart {file}")).await?;
    let bad = || AppError::BadRequest(format!("no such chart: {file:?}"));
    let (stem, extension) = file.rsplit_once('.').ok_or_else(bad)?;
    let (scope, rest) = stem.split_once('-').ok_or_else(bad)?;
    let (id, kind) = rest.split_once('-').ok_or_else(bad)?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let kind = ChartKind::parse(kind).ok_or_else(bad)?;
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let day = AsOfQuery { as_of: query.as_of }.day(&state)?;
    let charts = match scope {
        "need" => charts::of_need_at(&state, id, day, locale).await?,
        "field" => charts::of_field_at(&state, id, day, locale).await?,
        "indicator" => charts::of_indicator_at(&state, id, day, locale).await?,
        _ => return Err(bad()),
    };
    let chart = charts
        .into_iter()
        .find(|c| c.kind == kind)
        .ok_or(AppError::NotFound)?;
    let name = match day {
        Some(day) => format!("{stem}-{day}.{extension}"),
        None => format!("{stem}.{extension}"),
    };
    let (content_type, body) = match extension {
        "svg" => ("image/svg+xml", chart.svg.into_bytes()),
        "csv" => return Ok(csv_download(&name, chart.table.csv(locale))),
        "png" => {
            let png = png::render(&chart.svg, query.scale.unwrap_or(1)).map_err(|error| {
                tracing::error!(%error, "chart PNG failed");
                AppError::Internal
            })?;
            ("image/png", png)
        }
        _ => return Err(bad()),
    };
    Ok(download(&name, content_type, body))
}

/// `GET /reports/{id}/overview.csv` (`?lang=de|en`): a report's overview (per field and need
/// on its Stichtag) as a spreadsheet, in the dialect of its language.
async fn report_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Query(query): Query<LangQuery>,
) -> Result<Response, AppError> {
    may_read(&state, &caller, &format!("download report {id}")).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("report: not an id: {id:?}")))?;
    let (header, snapshot) = state.store.report(id).await?.ok_or(AppError::NotFound)?;
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let bytes = app::server_fns::reports::ssr::overview_csv(locale, &snapshot);
    Ok(csv_download(
        &format!("report-{}-{}.csv", header.id, header.stichtag),
        bytes,
    ))
}

#[derive(Deserialize)]
struct TemplateQuery {
    lang: Option<String>,
    subgoal: Option<i64>,
    need: Option<i64>,
    strategy: Option<i64>,
}

/// The signed-in owner or admin, or the refusal (on record).
fn reporter(state: &AppState, caller: &Caller, what: &str) -> Result<access::Account, AppError> {
    match (access::may_report(caller.account.as_ref()), &caller.account) {
        (Ok(()), Some(account)) => Ok(account.clone()),
        (Err(denied), _) => Err(guard::refuse(state, caller, denied, what)),
        (Ok(()), None) => Err(guard::refuse(
            state,
            caller,
            access::Denied::NotSignedIn,
            what,
        )),
    }
}

/// `GET /templates/milestones.csv|xlsx` (`?subgoal=ID`, `?need=ID` or `?strategy=ID`, else
/// all; `?lang=`): the bulk-update template of the milestones the caller may change.
async fn template_download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(file): Path<String>,
    headers: axum::http::HeaderMap,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    use templates::Scope;
    let account = reporter(&state, &caller, "download a bulk-update template")?;
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let scope = match (query.subgoal, query.need, query.strategy) {
        (Some(id), None, None) => Scope::Subgoal(id),
        (None, Some(id), None) => Scope::Need(id),
        (None, None, Some(id)) => Scope::Strategy(id),
        (None, None, None) => Scope::All,
        _ => {
            return Err(AppError::BadRequest(
                "name at most one of subgoal, need and strategy".to_owned(),
            ));
        }
    };
    let rows = templates::rows(&state.store, &account, scope).await?;
    match file.as_str() {
        "milestones.csv" => Ok(csv_download(
            &templates::file_name(locale, "csv"),
            templates::csv(locale, &rows),
        )),
        "milestones.xlsx" => Ok(download(
            &templates::file_name(locale, "xlsx"),
            report_files::Kind::Xlsx.content_type(),
            templates::xlsx(locale, &rows)?,
        )),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct StrategyFileQuery {
    as_of: Option<String>,
    lang: Option<String>,
}

/// `GET /strategies/{id}/strategy.json?as_of=YYYY-MM-DD`: the strategy document, as
/// `meilenstein export` writes it; `strategy.xlsx?as_of=&lang=`: its structure and milestones
/// as a workbook. For everyone who may read, as of today or a past day.
async fn strategy_download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((id, file)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    Query(query): Query<StrategyFileQuery>,
) -> Result<Response, AppError> {
    may_read(&state, &caller, &format!("download strategy {id}")).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("not a strategy id: {id:?}")))?;
    if !matches!(file.as_str(), "strategy.json" | "strategy.xlsx") {
        return Err(AppError::NotFound);
    }
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let past = AsOfQuery { as_of: query.as_of }.day(&state)?;
    // With its archived parts, marked.
    let strategy = state
        .store
        .strategy_with_archived(id, past.map(|day| state.clock.end_of(day)))
        .await?
        .ok_or(AppError::NotFound)?;
    let day = past.unwrap_or_else(|| state.clock.today());
    if file == "strategy.json" {
        Ok(download(
            &strategy_files::file_name(locale, id, past, "json"),
            "application/json; charset=utf-8",
            strategy_files::document_json(&strategy, day),
        ))
    } else {
        Ok(download(
            &strategy_files::file_name(locale, id, past, "xlsx"),
            report_files::Kind::Xlsx.content_type(),
            strategy_files::workbook(locale, &strategy)?,
        ))
    }
}

/// The file of a multipart form's `file` field: its name and bytes (the route's body limit,
/// a little over `max`, bounds them; the file's reader refuses what is over `max`).
async fn uploaded_file(
    mut form: axum::extract::Multipart,
    max: usize,
) -> Result<(String, Vec<u8>), AppError> {
    let bad = |what: &str| AppError::BadRequest(format!("file: {what}"));
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| bad("not a form upload"))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| bad(&format!("larger than {max} bytes, or cut off")))?;
        return Ok((name, bytes.to_vec()));
    }
    Err(bad("no file was chosen"))
}

/// `POST /bulk/upload` (multipart, the file as `file`): keeps the spreadsheet for its preview
/// and sends the browser to it (`/bulk/{token}`), also when the file is refused (the preview
/// says why).
async fn bulk_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let account = reporter(&state, &caller, "upload a bulk update")?;
    let (name, bytes) = uploaded_file(form, app::domain::bulk::MAX_FILE_BYTES).await?;
    let table = tokio::task::spawn_blocking(move || spreadsheet_files::read(&bytes))
        .await
        .map_err(|_| AppError::Internal)?;
    let token = state
        .uploads
        .keep(account.id, &name, table.map(std::sync::Arc::new))?;
    Ok(Redirect::to(&format!("/bulk/{token}")).into_response())
}

/// The caller's account id, if they may administer; else the refusal, on record.
fn administrator(state: &AppState, caller: &Caller, what: &str) -> Result<i64, AppError> {
    access::may_administer(caller.account.as_ref())
        .map_err(|denied| guard::refuse(state, caller, denied, what))?;
    app::server_fns::setup::ssr::account(caller)
}

/// `POST /strategies/import` (admins; multipart, the document as `file`): reads the strategy
/// document, keeps it for its preview and sends the browser there
/// (`/admin/strategies/import/{token}`), also when it is refused (the preview lists why).
async fn strategy_import_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let account = administrator(&state, &caller, "upload a strategy to import")?;
    let (name, bytes) =
        uploaded_file(form, app::server_fns::setup::ssr::MAX_DOCUMENT_BYTES).await?;
    let read = tokio::task::spawn_blocking(move || app::domain::document::parse_bytes(&bytes))
        .await
        .map_err(|_| AppError::Internal)?;
    let token = state
        .imports
        .keep(account, &name, std::sync::Arc::new(read))?;
    Ok(Redirect::to(&format!("/admin/strategies/import/{token}")).into_response())
}

/// `POST /strategies/{id}/structure` (admins; multipart, the sheet as `file`): reads a
/// structure sheet for strategy `id`, keeps it for its preview and sends the browser there
/// (`/admin/structure/{token}`), also when the file is refused (the preview says why).
async fn structure_upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let account = administrator(&state, &caller, "upload a structure sheet")?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("not a strategy id: {id:?}")))?;
    if state.store.strategy(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let (name, bytes) = uploaded_file(form, app::domain::bulk::MAX_FILE_BYTES).await?;
    let table = tokio::task::spawn_blocking(move || spreadsheet_files::read(&bytes))
        .await
        .map_err(|_| AppError::Internal)?;
    let token = state
        .structures
        .keep(account, &name, std::sync::Arc::new((id, table)))?;
    Ok(Redirect::to(&format!("/admin/structure/{token}")).into_response())
}

#[derive(Deserialize)]
struct BoardQuery {
    lang: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

/// `GET /reporting.csv` (`?lang=de|en&sort=…&dir=asc|desc`): the reporting status board
/// ("Berichtsstand") as a spreadsheet, in the order the page shows it.
async fn board_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: axum::http::HeaderMap,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    use app::server_fns::reporting::{BoardSort, ssr};
    may_read(&state, &caller, "download the reporting status").await?;
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let (sort, descending) = BoardSort::of_query(query.sort.as_deref(), query.dir.as_deref())?;
    let mut page = ssr::board(&state).await?;
    sort.apply(&mut page.rows, descending);
    Ok(csv_download(
        &format!("berichtsstand-{}.csv", page.today),
        ssr::board_csv(locale, &page),
    ))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The language a download is written in: `?lang=`, else the reader's (see `Locale::of_request`).
fn download_locale(
    lang: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> Result<Locale, AppError> {
    match lang {
        None => Ok(Locale::of_request(headers)),
        Some(tag) => Locale::ALL
            .into_iter()
            .find(|l| l.as_str() == tag)
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "lang: unknown language {tag:?} (expected de or en)"
                ))
            }),
    }
}

/// `GET /reports/{id}/report.pdf` and `…/report.xlsx` (`?lang=de|en`): a report as a file,
/// made once and kept (see `report_files`).
async fn report_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(files): Extension<std::sync::Arc<report_files::Files>>,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    Query(query): Query<LangQuery>,
) -> Result<Response, AppError> {
    let path = uri.path();
    may_read(&state, &caller, &format!("download {path}")).await?;
    let bad = || AppError::BadRequest(format!("no such report file: {path:?}"));
    let id: i64 = id.parse().map_err(|_| bad())?;
    let kind = path
        .rsplit('/')
        .next()
        .and_then(report_files::Kind::parse)
        .ok_or_else(bad)?;
    let locale = download_locale(query.lang.as_deref(), &headers)?;
    let file = files
        .get(&state.store, &state.clock, id, kind, locale)
        .await?;
    Ok(download(&file.name, kind.content_type(), file.bytes))
}

#[derive(Deserialize)]
struct LanguageChoice {
    locale: String,
    back: Option<String>,
}

/// The language switch without JavaScript: remembers the choice in the cookie the app reads
/// and sends the user back to the page they were on.
async fn switch_language(Form(choice): Form<LanguageChoice>) -> Response {
    let Some(locale) = Locale::ALL
        .into_iter()
        .find(|l| l.as_str() == choice.locale)
    else {
        return AppError::BadRequest(format!("unknown language {:?}", choice.locale))
            .into_response();
    };
    let back = choice
        .back
        .filter(|back| back.starts_with('/') && !back.starts_with("//") && !back.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        app::i18n::COOKIE,
        locale.as_str()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(cookie), Ok(location)) =
        (HeaderValue::from_str(&cookie), HeaderValue::from_str(&back))
    {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, location);
    } else {
        headers.insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    response
}

/// `GET /admin/audit.csv`: the log as the admin filtered it, every matching entry, for
/// spreadsheets (admins only), in the dialect of the admin's language.
async fn audit_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: axum::http::HeaderMap,
    Query(filter): Query<LogFilter>,
) -> Result<Response, AppError> {
    if let Err(denied) = access::may_administer(caller.account.as_ref()) {
        return Err(guard::refuse(
            &state,
            &caller,
            denied,
            "download the audit log",
        ));
    }
    let records = state
        .store
        .audit_search(&admin::ssr::store_filter(&filter, i64::MAX)?)
        .await?;
    let mut file = app::spreadsheet::Csv::new(Locale::of_request(&headers));
    file.row([
        "id",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "subgoal_id",
        "details",
        "hash",
    ]);
    for r in records {
        file.row([
            r.id.to_string(),
            r.at,
            r.actor,
            r.action,
            r.object_type,
            r.object_id.unwrap_or_default(),
            r.subgoal_id.map(|s| s.to_string()).unwrap_or_default(),
            r.details,
            r.hash,
        ]);
    }
    Ok(csv_download("meilenstein-protokoll.csv", file.finish()))
}

/// A CSV file as a download named `name`.
fn csv_download(name: &str, bytes: Vec<u8>) -> Response {
    download(name, "text/csv; charset=utf-8", bytes)
}

/// A file as a download named `name`.
fn download(name: &str, content_type: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    #[tokio::test]
    async fn connections_send_without_waiting_for_acknowledgements() {
        let mut listener = super::listen(([127, 0, 0, 1], 0).into()).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (connection, _) = listener.accept().await;
        assert!(
            connection.nodelay().unwrap(),
            "TCP_NODELAY on the server side"
        );
    }
}
