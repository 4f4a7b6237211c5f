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
//! the newest audit entry) shows. That one is asked at most every [`DATABASE_CHECK`], so such
//! a change shows within that time.
//!
//! Each response still gets its own CSP nonce: the kept page is held in the pieces between
//! the nonces, which every response shares (no copy of the page per response) with its own
//! nonce between them, and the policy header to match. `x-cache: hit` says a response was a
//! kept page, `x-cache: miss` that it was rendered.

use app::{auth::Caller, state::AppState, store::PageScope};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

/// How many pages are kept at most; when full, all go.
const MAX_PAGES: usize = 512;
/// Pages larger than this are not kept (but sent).
const MAX_PAGE_BYTES: usize = 4 << 20;
/// A page larger than this is an error (no page of the app comes near it).
const MAX_SENT_BYTES: usize = 64 << 20;
const PLACEHOLDER: &str = "\u{0}meilenstein-nonce\u{0}";
/// How often the database is asked for changes made by another process.
pub const DATABASE_CHECK: Duration = Duration::from_millis(200);

/// See `Store::page_version`.
type Version = (u64, u64, u64);

#[derive(Clone)]
pub struct PageCache {
    kept: Arc<Mutex<Kept>>,
    /// Pages rendered at once: as many as there are cores. When a change makes every kept
    /// page stale under a crowd of readers, the crowd waits for a few renders (and then finds
    /// the page kept) instead of rendering the same page hundreds of times at once.
    rendering: Arc<tokio::sync::Semaphore>,
}

impl Default for PageCache {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PageCache {
            kept: Arc::default(),
            rendering: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }
}

#[derive(Default)]
struct Kept {
    /// When the database's version was last asked.
    database: Option<Instant>,
    pages: HashMap<String, Page>,
}

struct Page {
    /// What the page shows, and the version of that data it was rendered at.
    scope: PageScope,
    version: Version,
    content_type: HeaderValue,
    /// The policy with [`PLACEHOLDER`] for the nonce.
    policy: Option<String>,
    /// The body in the pieces between the nonces. A response shares them (reference-counted)
    /// and adds its own nonce between them, so hundreds of responses under way hold one copy
    /// of a page, not one each.
    pieces: Vec<bytes::Bytes>,
}

impl PageCache {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn page(&self, key: &str, version: Version) -> Option<Response> {
        let kept = self.kept();
        kept.pages
            .get(key)
            .filter(|page| page.version == version)
            .map(Page::respond)
    }
}

/// Says whether a response was a kept page (`hit`) or rendered (`miss`).
pub const CACHE_HEADER: &str = "x-cache";

pub async fn serve(
    State((state, cache)): State<(AppState, PageCache)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = key_of(&request, &state) else {
        return next.run(request).await;
    };
    let scope = scope_of(request.uri().path(), &state);
    let Some(version) = data_version(&state, &cache, scope).await else {
        return next.run(request).await;
    };
    if let Some(response) = cache.page(&key, version) {
        return response;
    }
    let Ok(_turn) = cache.rendering.acquire().await else {
        return next.run(request).await;
    };
    // Rendered by someone else while this request waited?
    let Some(version) = data_version(&state, &cache, scope).await else {
        return next.run(request).await;
    };
    if let Some(response) = cache.page(&key, version) {
        return response;
    }
    let response = next.run(request).await;
    keep(&state, &cache, key, (scope, version), response).await
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
/// so a page is never labelled newer than its data. The database is asked for changes made by
/// others first, at most every [`DATABASE_CHECK`], by one request: the others meanwhile go by
/// what was last noticed, instead of all asking (and waiting for) the database at once.
async fn data_version(state: &AppState, cache: &PageCache, scope: PageScope) -> Option<Version> {
    let ask = {
        let mut kept = cache.kept();
        let due = kept
            .database
            .is_none_or(|asked| asked.elapsed() >= DATABASE_CHECK);
        if due {
            kept.database = Some(Instant::now());
        }
        due
    };
    if ask {
        match state.store.data_version().await {
            Ok(version) => state.store.note_database(version),
            Err(_) => {
                // Not asked after all: the next request asks again.
                cache.kept().database = None;
                return None;
            }
        }
    }
    Some(state.store.page_version(scope))
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
    (scope, version): (PageScope, Version),
    response: Response,
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
    let nonce = policy
        .as_deref()
        .and_then(|p| p.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .filter(|n| n.len() >= 16)
        .map(str::to_owned);
    if let (true, Some(nonce), Ok(text)) = (small, nonce, std::str::from_utf8(&bytes)) {
        let page = Page {
            scope,
            version,
            content_type: parts.headers[header::CONTENT_TYPE].clone(),
            policy: policy.map(|p| p.replace(&nonce, PLACEHOLDER)),
            pieces: text
                .split(nonce.as_str())
                .map(|piece| bytes::Bytes::copy_from_slice(piece.as_bytes()))
                .collect(),
        };
        let mut kept = cache.kept();
        // Pages no longer true go as soon as another is kept: no memory for stale pages.
        kept.pages
            .retain(|_, page| page.version == state.store.page_version(page.scope));
        if kept.pages.len() >= MAX_PAGES {
            kept.pages.clear();
        }
        kept.pages.insert(key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

impl Page {
    fn respond(&self) -> Response {
        let Ok(nonce) = app::auth::new_nonce() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let length = self.pieces.iter().map(bytes::Bytes::len).sum::<usize>()
            + nonce.len() * self.pieces.len().saturating_sub(1);
        let nonce = bytes::Bytes::from(nonce);
        let mut chunks = Vec::with_capacity(2 * self.pieces.len());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                chunks.push(nonce.clone());
            }
            chunks.push(piece.clone());
        }
        let body = Body::from_stream(futures_util::stream::iter(
            chunks.into_iter().map(Ok::<_, std::convert::Infallible>),
        ));
        let mut response = Response::new(body);
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(CACHE_HEADER, HeaderValue::from_static("hit"));
        let nonce = std::str::from_utf8(&nonce).unwrap_or_default();
        if let Some(policy) = &self.policy
            && let Ok(value) = HeaderValue::from_str(&policy.replace(PLACEHOLDER, nonce))
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        response
    }
}
