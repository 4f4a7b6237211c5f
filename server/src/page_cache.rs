//! Rendered pages kept in memory until anything they show changes. A read-mostly dashboard
//! need not be rendered for every one of the hundreds who open it before a council meeting.
//!
//! A page is kept per address, caller (account), language preference and day, together with
//! the version of the data it was rendered from (`Store::page_version`) for what the page
//! shows (its `PageScope`): a need's pages (the need and its sub-goals) move with
//! the writes confined to that need and those not confined to one need, so a change of one
//! need's milestones or indicators leaves the other needs' pages kept; the audit log moves
//! with every write; every other page with every write but those only the log shows (logins,
//! counted refusals), which make no page stale. Versions move with the writes this process
//! has finished (before their answer is sent), and with changes made by another process,
//! which the database's own version (`Store::data_version`: the strategy trees' version and
//! the newest audit entry) shows. That one is asked at most every
//! [`app::store::OTHERS_CHECK`] (`Store::notice_others`), so such a change shows within that
//! time.
//!
//! Under load a reader other than the one who saved need not wait for a page a save made stale:
//! while that page is being rendered again (or no render can start at once, when it is
//! rendered in the background), the reader gets the page as it was, if it was rendered less
//! than [`MAX_STALE`] ago (`x-cache: stale`). So each stale page is rendered once at a time
//! whatever the crowd, and nobody queues behind renders. A caller who has saved anything since
//! that page was rendered (an account's write, as this process finished it) always gets the
//! page rendered again, so nobody misses their own change; with a free render, so does every
//! reader, so one request after another always sees what was saved before. A reader who may not
//! have the kept page (none kept, or too old) while it is being rendered waits for that render
//! instead of rendering it again. Under load (more pages asked at once than four per core) a reader
//! gets the stale page even when a render is free, and the page is rendered in the background.
//! Pages are rendered on threads of their own, at a lower priority than those answering
//! requests ([`RENDERERS`]).
//!
//! A kept page is the same bytes for every response: the nonce its render was given is taken
//! out, and its policy names its inline scripts by their SHA-256 hashes instead (exactly as
//! strict: nothing inline runs that the page did not carry). So it is compressed once, when it
//! is kept (brotli, else gzip, as the request accepts; `Vary: accept-encoding`), and every
//! response shares those bytes. `x-cache: hit` says a response was a kept page, `x-cache:
//! miss` that it was rendered.

use app::{
    auth::Caller,
    state::AppState,
    store::{PageScope, PageVersion as Version},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, OnceLock, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

/// How many pages are kept at most; when full, all go.
const MAX_PAGES: usize = 512;
/// Pages larger than this are not kept (but sent).
const MAX_PAGE_BYTES: usize = 4 << 20;
/// A page larger than this is an error (no page of the app comes near it).
const MAX_SENT_BYTES: usize = 64 << 20;
/// Brotli's quality for a kept page: about 2 ms for a 60 kB page, within a few per cent of
/// the best (11, which takes a hundred times longer).
const BROTLI_QUALITY: u32 = 5;
/// How old a page, rendered before the data it shows changed, may be when a reader gets it
/// while it is rendered again (see the module's documentation). A stale page older than this
/// is not kept. Only under load does a reader get one (a render free, the reader renders);
/// renders yield to answers there, so they may lag by seconds: at 100,000 milestones and the
/// load with writes of docs/PERFORMANCE.md, 2 s made readers wait for renders past wrk's
/// timeout, 10 s none.
pub const MAX_STALE: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct PageCache {
    kept: Arc<Mutex<Kept>>,
    /// Pages rendered at once: as many as there are cores. When a change makes every kept
    /// page stale under a crowd of readers, the crowd waits for a few renders (and then finds
    /// the page kept) instead of rendering the same page hundreds of times at once.
    rendering: Arc<tokio::sync::Semaphore>,
    /// Stale pages rendered again in the background, one at a time, so that they take at most
    /// one core from the requests being answered.
    refreshing: Arc<tokio::sync::Semaphore>,
    /// Pages asked for and not yet answered. Under load (more than `busy`) a reader gets a
    /// stale page while it is rendered in the background even when a render is free: a reader
    /// who took it would wait for a render that yields the cores to the answers.
    asked: Arc<AtomicUsize>,
    /// More pages asked for at once than this is load: as many as four per core.
    busy: usize,
}

/// Counts a page asked for until it is answered (or the request is dropped).
struct Asking(Arc<AtomicUsize>);

impl Asking {
    fn new(asked: &Arc<AtomicUsize>) -> Self {
        asked.fetch_add(1, Ordering::Relaxed);
        Asking(asked.clone())
    }
}

impl Drop for Asking {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Default for PageCache {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PageCache {
            kept: Arc::default(),
            rendering: Arc::new(tokio::sync::Semaphore::new(cores)),
            refreshing: Arc::new(tokio::sync::Semaphore::new(1)),
            asked: Arc::default(),
            busy: 4 * cores,
        }
    }
}

#[derive(Default)]
struct Kept {
    pages: HashMap<String, Arc<Page>>,
    /// The pages (keys) being rendered now, each with when that began and what tells its
    /// end: their readers meanwhile get them as kept, or wait for that render.
    rendering: HashMap<String, (Instant, Arc<tokio::sync::Notify>)>,
    /// When each account's latest write (a request other than GET or HEAD) was answered; only
    /// those of the last [`MAX_STALE`], the age beyond which no stale page is sent.
    writes: HashMap<i64, Instant>,
}

struct Page {
    /// What the page shows, and the version of that data it was rendered at, read at `read`.
    scope: PageScope,
    version: Version,
    read: Instant,
    content_type: HeaderValue,
    /// The policy naming the page's inline scripts by their hashes.
    policy: Option<HeaderValue>,
    /// The page, and compressed where that makes it smaller, each compression made when a
    /// request first takes it (a save makes pages stale many times a second under load, and
    /// most of them are asked in one encoding only); each response shares them
    /// (reference-counted), so hundreds of responses under way hold one copy of a page.
    plain: bytes::Bytes,
    brotli: OnceLock<Option<bytes::Bytes>>,
    gzip: OnceLock<Option<bytes::Bytes>>,
}

impl PageCache {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn page(&self, key: &str, version: Version, accepts: Accepts) -> Option<Response> {
        let page = self
            .kept()
            .pages
            .get(key)
            .filter(|page| page.version == version)
            .cloned()?;
        Some(page.respond(accepts, "hit"))
    }

    /// What a request for the stale (or missing) page at `key` does meanwhile, for `account`.
    /// A page kept stale may be sent if it was rendered less than [`MAX_STALE`] ago and after
    /// the caller's latest write. With a render of the page under way, the caller gets that
    /// page, or waits for the render if it shows all the caller needs (it began after the
    /// caller's latest write), or else renders the page too. With none under way, the caller
    /// takes the mark (`Rendering`, which takes it away when dropped) and renders the page,
    /// with the kept one to send meanwhile, if it may be sent.
    fn meanwhile(&self, key: &str, account: Option<i64>) -> Meanwhile {
        let mut kept = self.kept();
        let wrote = account.and_then(|a| kept.writes.get(&a)).copied();
        let sendable = kept
            .pages
            .get(key)
            .filter(|page| page.read.elapsed() < MAX_STALE && wrote.is_none_or(|at| at < page.read))
            .cloned();
        if let Some((began, end)) = kept.rendering.get(key) {
            if let Some(page) = sendable {
                return Meanwhile::Send(page);
            }
            if wrote.is_none_or(|at| at <= *began) {
                let mut end = Box::pin(end.clone().notified_owned());
                end.as_mut().enable();
                return Meanwhile::Wait(end);
            }
            return Meanwhile::Render(None, None);
        }
        let end = Arc::new(tokio::sync::Notify::new());
        kept.rendering
            .insert(key.to_owned(), (Instant::now(), end.clone()));
        let mark = Rendering {
            kept: self.kept.clone(),
            key: key.to_owned(),
            end,
        };
        Meanwhile::Render(Some(mark), sendable)
    }

    /// Notes that `account`'s write has been answered: its next pages are rendered again.
    fn wrote(&self, account: i64) {
        let mut kept = self.kept();
        let now = Instant::now();
        kept.writes
            .retain(|_, at| now.duration_since(*at) < MAX_STALE);
        kept.writes.insert(account, now);
    }
}

/// See [`PageCache::meanwhile`].
enum Meanwhile {
    /// Send the page as kept.
    Send(Arc<Page>),
    /// Wait for the render under way to end, then look again.
    Wait(std::pin::Pin<Box<tokio::sync::futures::OwnedNotified>>),
    /// Render the page (marked as being rendered, if the mark is given); the page to send
    /// meanwhile, if it may be.
    Render(Option<Rendering>, Option<Arc<Page>>),
}

/// A page being rendered; when this goes, so does the mark, and those waiting look again.
struct Rendering {
    kept: Arc<Mutex<Kept>>,
    key: String,
    end: Arc<tokio::sync::Notify>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        self.kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .rendering
            .remove(&self.key);
        self.end.notify_waiters();
    }
}

/// Says whether a response was a kept page (`hit`) or rendered (`miss`).
pub const CACHE_HEADER: &str = "x-cache";

/// On a rendered dashboard: how many of its fields were kept and how many made.
pub const PIECES_HEADER: &str = app::server_fns::strategy::ssr::PIECES_HEADER;

/// What the page cache is handed with each request: shared, one count of a reference (see
/// `AppState`).
pub type Shared = Arc<(AppState, PageCache)>;

pub async fn serve(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let (state, cache) = &*shared;
    let account = request
        .extensions()
        .get::<Caller>()
        .and_then(|c| c.account.as_ref())
        .map(|a| a.id);
    let Some(key) = key_of(&request, state) else {
        let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
        let response = next.run(request).await;
        if let (true, Some(account)) = (writes, account) {
            cache.wrote(account);
        }
        return response;
    };
    let _asking = Asking::new(&cache.asked);
    let scope = scope_of(request.uri().path(), state);
    let accepts = Accepts::of(request.headers());
    let (mark, turn) = loop {
        let Some(version) = data_version(state, scope).await else {
            return next.run(request).await;
        };
        if let Some(response) = cache.page(&key, version, accepts) {
            return response;
        }
        match cache.meanwhile(&key, account) {
            Meanwhile::Send(page) => return page.respond(accepts, "stale"),
            Meanwhile::Wait(end) => end.await,
            Meanwhile::Render(mark, None) => break (mark, None),
            // A render free now: this reader renders the page and waits for it, as without
            // load. None free: the page is rendered in the background, and this reader gets
            // it as kept.
            Meanwhile::Render(mark, Some(page)) => {
                let free = match cache.asked.load(Ordering::Relaxed) > cache.busy {
                    true => None,
                    false => cache.rendering.clone().try_acquire_owned().ok(),
                };
                match (mark, free) {
                    (mark, Some(turn)) => break (mark, Some(turn)),
                    (Some(mark), None) => {
                        let (parts, _) = request.into_parts();
                        let request = Request::from_parts(parts, Body::empty());
                        let shared = shared.clone();
                        tokio::spawn(refresh(shared, key, scope, request, next, mark));
                        return page.respond(accepts, "stale");
                    }
                    (None, None) => break (None, None),
                }
            }
        }
    };
    let (_rendering, _turn) = match turn {
        Some(turn) => (mark, turn),
        None => {
            let Ok(turn) = cache.rendering.clone().acquire_owned().await else {
                return next.run(request).await;
            };
            (mark, turn)
        }
    };
    render_and_keep(state, cache, key, scope, request, next, accepts).await
}

/// The page at `key` as kept at the data's version now, if it was kept meanwhile (rendered
/// by someone else while this request waited); else rendered and kept.
async fn render_and_keep(
    state: &AppState,
    cache: &PageCache,
    key: String,
    scope: PageScope,
    request: Request,
    next: Next,
    accepts: Accepts,
) -> Response {
    let read = Instant::now();
    let Some(version) = data_version(state, scope).await else {
        return next.run(request).await;
    };
    if let Some(response) = cache.page(&key, version, accepts) {
        return response;
    }
    let response = rendered(next, request).await;
    keep(state, cache, key, (scope, version, read), response, accepts).await
}

/// Renders a stale page again in the background (one at a time) and keeps it.
async fn refresh(
    shared: Shared,
    key: String,
    scope: PageScope,
    request: Request,
    next: Next,
    _rendering: Rendering,
) {
    let (state, cache) = &*shared;
    let Ok(_turn) = cache.refreshing.acquire().await else {
        return;
    };
    // Not sent: compressed when a request first takes it.
    let nothing = Accepts {
        brotli: false,
        gzip: false,
    };
    render_and_keep(state, cache, key, scope, request, next, nothing).await;
}

/// The threads pages are rendered on, as many as there are cores, at a lower priority (nice
/// [`RENDERING`]) than those that answer requests. A render computes for milliseconds at a
/// stretch (charts of thousands of milestones); on the threads that answer, every kept page
/// and a save's next step waited for it to end. On threads of their own, the system's
/// scheduler lets those go first when both want a core; under no load nothing changes.
static RENDERERS: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .thread_name("render")
        .on_thread_start(yield_to_answers)
        .enable_all()
        .build()
        .expect("the render threads start")
});

/// The nice value of the render threads. At 100,000 milestones under the load with writes of
/// docs/PERFORMANCE.md, 10 left renders so far behind that pages went past [`MAX_STALE`] and
/// their readers waited; 5 kept up as well as 0 with fewer answers waiting for a core.
const RENDERING: i32 = 5;

/// Lowers the calling thread's priority to [`RENDERING`] (a thread may always lower its own).
fn yield_to_answers() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority changes only the scheduling priority of the calling thread (on
    // Linux `who = 0` is the calling thread, not the whole process).
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, RENDERING);
    }
}

/// The page rendered (its whole body made) on the render threads.
async fn rendered(next: Next, request: Request) -> Response {
    let render = RENDERERS.spawn(async move {
        let (parts, body) = next.run(request).await.into_parts();
        let body = axum::body::to_bytes(body, MAX_SENT_BYTES).await;
        body.map(|bytes| Response::from_parts(parts, Body::from(bytes)))
    });
    match render.await {
        Ok(Ok(response)) => response,
        Ok(Err(_)) => {
            tracing::error!("a page larger than {MAX_SENT_BYTES} bytes, or its body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(error) => {
            tracing::error!("a page's render failed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What the page at `path` shows, for its version.
fn scope_of(path: &str, state: &AppState) -> PageScope {
    let id_after = |prefix: &str| -> Option<i64> {
        let rest = path.strip_prefix(prefix)?;
        let digits = rest.split('/').next()?;
        digits.parse().ok()
    };
    if let Some(need) = id_after("/needs/") {
        return PageScope::Need(need);
    }
    if let Some(need) = id_after("/subgoals/").and_then(|id| state.store.need_of_kept_subgoal(id)) {
        return PageScope::Need(need);
    }
    if path == "/admin" || path.starts_with("/admin/") {
        return PageScope::Log;
    }
    PageScope::Everything
}

/// The version of the data the pages of `scope` show, now: read before the page is rendered,
/// so a page is never labelled newer than its data; changes made by others are looked for
/// first (at most every [`app::store::OTHERS_CHECK`]: `Store::notice_others`).
async fn data_version(state: &AppState, scope: PageScope) -> Option<Version> {
    state
        .store
        .notice_others()
        .await
        .then(|| state.store.page_version(scope))
}

/// The key of a page that may be kept: address, account, language preference, day.
fn key_of(request: &Request, state: &AppState) -> Option<String> {
    let path = request.uri().path();
    if request.method() != Method::GET
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.ends_with(".csv")
        // A preview shows an upload kept in memory, which no data version counts.
        || path.starts_with("/bulk/")
    {
        return None;
    }
    let account = request
        .extensions()
        .get::<Caller>()
        .and_then(|c| c.account.as_ref())
        .map_or(0, |a| a.id);
    let header = |name| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(";")
    };
    // Every cookie but the session's (the account stands for it) may change the page.
    let cookies: Vec<String> = header(header::COOKIE)
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty() && !c.contains("meilenstein"))
        .map(str::to_owned)
        .collect();
    // The language as the page chooses it, not the header: any `Accept-Language` a client
    // makes up names one of two languages, not a page of its own.
    Some(format!(
        "{}\n{account}\n{}\n{}\n{}",
        request.uri(),
        cookies.join(";"),
        app::i18n::Locale::of_request(request.headers()).as_str(),
        state.clock.today()
    ))
}

async fn keep(
    state: &AppState,
    cache: &PageCache,
    key: String,
    (scope, version, read): (PageScope, Version, Instant),
    response: Response,
    accepts: Accepts,
) -> Response {
    let keepable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !keepable {
        return response;
    }
    let mut response = response;
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_SENT_BYTES).await else {
        tracing::error!("a page larger than {MAX_SENT_BYTES} bytes");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let small = bytes.len() <= MAX_PAGE_BYTES;
    let policy = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let hashed = match (small, policy, std::str::from_utf8(&bytes)) {
        (true, Some(policy), Ok(text)) => with_hashes(text, &policy),
        _ => None,
    };
    let Some((text, policy)) = hashed else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let page = Arc::new(Page {
        scope,
        version,
        read,
        content_type: parts.headers[header::CONTENT_TYPE].clone(),
        policy: HeaderValue::from_str(&policy).ok(),
        plain: bytes::Bytes::from(text.into_bytes()),
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
    });
    let mut response = page.respond(accepts, "miss");
    // What the render says of its pieces goes with the page it made (a kept page made none).
    if let Some(pieces) = parts.headers.get(PIECES_HEADER) {
        response.headers_mut().insert(PIECES_HEADER, pieces.clone());
    }
    let mut kept = cache.kept();
    // Pages no longer true go as soon as another is kept, unless young enough to be sent
    // while they are rendered again: little memory for stale pages.
    kept.pages.retain(|_, page| {
        page.version == state.store.page_version(page.scope) || page.read.elapsed() < MAX_STALE
    });
    if kept.pages.len() >= MAX_PAGES {
        kept.pages.clear();
    }
    kept.pages.insert(key, page);
    response
}

/// The page without the nonce its render was given, and its policy naming its inline scripts
/// by their SHA-256 hashes instead of that nonce; `None` when the page has no nonce to take
/// out (then it is sent as rendered, not kept).
fn with_hashes(text: &str, policy: &str) -> Option<(String, String)> {
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .filter(|n| n.len() >= 16)?;
    // Leptos also writes the nonce as the preload links' `crossorigin`, where any value but
    // `use-credentials` means `anonymous`.
    let page = text.replace(&format!(" nonce=\"{nonce}\""), "").replace(
        &format!(" crossorigin=\"{nonce}\""),
        " crossorigin=\"anonymous\"",
    );
    if page.contains(nonce) {
        return None;
    }
    let hashes: Vec<String> = inline_scripts(&page)
        .map(|script| {
            use base64::Engine;
            use sha2::Digest;
            let digest = sha2::Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let named = if hashes.is_empty() {
        String::new()
    } else {
        format!("{} ", hashes.join(" "))
    };
    Some((page, policy.replace(&format!("'nonce-{nonce}' "), &named)))
}

/// The text of each inline `<script>` (one without `src`) of a page.
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    let mut rest = page;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let open_end = start + rest[start..].find('>')?;
            let tag = &rest[start..open_end];
            let body_start = open_end + 1;
            let body_end = body_start + rest[body_start..].find("</script>")?;
            let body = &rest[body_start..body_end];
            rest = &rest[body_end..];
            if !tag.contains(" src=") {
                return Some(body);
            }
        }
    })
}

/// The compressions a request takes, read once from its `Accept-Encoding`.
#[derive(Clone, Copy)]
struct Accepts {
    brotli: bool,
    gzip: bool,
}

impl Accepts {
    fn of(request: &HeaderMap) -> Accepts {
        Accepts {
            brotli: crate::assets::accepts(request, "br"),
            gzip: crate::assets::accepts(request, "gzip"),
        }
    }
}

impl Page {
    /// The compressed page, made once, when first asked; `None` when it is no smaller.
    fn packed(
        &self,
        kept: &OnceLock<Option<bytes::Bytes>>,
        pack: impl FnOnce(&[u8]) -> Vec<u8>,
    ) -> Option<bytes::Bytes> {
        kept.get_or_init(|| {
            let packed = pack(&self.plain);
            (packed.len() < self.plain.len()).then(|| bytes::Bytes::from(packed))
        })
        .clone()
    }

    /// The page as the request accepts it: brotli, else gzip, else plain.
    fn respond(&self, accepts: Accepts, cache: &'static str) -> Response {
        let brotli = || {
            self.packed(&self.brotli, |plain| {
                crate::assets::brotli_at(plain, BROTLI_QUALITY)
            })
        };
        let gzip = || {
            self.packed(&self.gzip, |plain| {
                crate::assets::gzip_at(plain, flate2::Compression::default())
            })
        };
        let packed = accepts
            .brotli
            .then(brotli)
            .flatten()
            .map(|br| (br, "br"))
            .or_else(|| accepts.gzip.then(gzip).flatten().map(|gz| (gz, "gzip")));
        let (body, encoding) = match packed {
            Some((body, encoding)) => (body, Some(encoding)),
            None => (self.plain.clone(), None),
        };
        let length = body.len();
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        headers.insert(CACHE_HEADER, HeaderValue::from_static(cache));
        if let Some(policy) = &self.policy {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
        }
        response
    }
}
