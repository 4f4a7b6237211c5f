//! Rendered pages kept in memory until anything they show changes. A read-mostly dashboard
//! need not be rendered for every one of the hundreds who open it before a council meeting.
//!
//! A page is kept per address, caller (account), language preference and day, together with
//! the version of the data it was rendered from: the writes this process has finished
//! (`Store::local_writes`, moved by every change made here, before its answer is sent) and the
//! database's own version (`Store::data_version`: the strategy trees' version and the newest
//! audit entry), which catches changes made by another process; that one is asked at most every
//! [`DATABASE_CHECK`], so such a change shows within that time. Each response still gets its
//! own CSP nonce: the kept page is held in the pieces between the nonces, which every response
//! shares (no copy of the page per response) with its own nonce between them, and the policy
//! header to match.

use app::{auth::Caller, state::AppState};
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

/// How many pages are kept at most; when full, the oldest data goes first (all of it).
const MAX_PAGES: usize = 512;
/// Pages larger than this are not kept.
const MAX_PAGE_BYTES: usize = 4 << 20;
const PLACEHOLDER: &str = "\u{0}meilenstein-nonce\u{0}";
/// How often the database is asked for changes made by another process.
pub const DATABASE_CHECK: Duration = Duration::from_millis(200);

/// Local writes and the database's version.
type Version = (u64, (i64, i64));

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
    version: Version,
    /// The database's version and when it was last asked.
    database: Option<(Instant, (i64, i64))>,
    pages: HashMap<String, Page>,
}

struct Page {
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
        (kept.version == version)
            .then(|| kept.pages.get(key).map(Page::respond))
            .flatten()
    }
}

pub async fn serve(
    State((state, cache)): State<(AppState, PageCache)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = key_of(&request, &state) else {
        return next.run(request).await;
    };
    let Some(version) = data_version(&state, &cache).await else {
        return next.run(request).await;
    };
    if let Some(response) = cache.page(&key, version) {
        return response;
    }
    let Ok(_turn) = cache.rendering.acquire().await else {
        return next.run(request).await;
    };
    // Rendered by someone else while this request waited?
    let Some(version) = data_version(&state, &cache).await else {
        return next.run(request).await;
    };
    if let Some(response) = cache.page(&key, version) {
        return response;
    }
    let response = next.run(request).await;
    keep(&cache, key, version, response).await
}

/// The data version now; the local write count first, so a page is never labelled newer than
/// the data it was rendered from.
async fn data_version(state: &AppState, cache: &PageCache) -> Option<Version> {
    let local = state.store.local_writes();
    let recent = cache
        .kept()
        .database
        .filter(|(asked, _)| asked.elapsed() < DATABASE_CHECK)
        .map(|(_, version)| version);
    let database = match recent {
        Some(version) => version,
        None => {
            let version = state.store.data_version().await.ok()?;
            cache.kept().database = Some((Instant::now(), version));
            version
        }
    };
    Some((local, database))
}

/// The key of a page that may be kept: address, account, language preference, day.
fn key_of(request: &Request, state: &AppState) -> Option<String> {
    let path = request.uri().path();
    if request.method() != Method::GET
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.ends_with(".csv")
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
    Some(format!(
        "{}\n{account}\n{}\n{}\n{}",
        request.uri(),
        cookies.join(";"),
        header(header::ACCEPT_LANGUAGE),
        state.clock.today()
    ))
}

async fn keep(cache: &PageCache, key: String, version: Version, response: Response) -> Response {
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
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
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
    if let (Some(nonce), Ok(text)) = (nonce, std::str::from_utf8(&bytes)) {
        let page = Page {
            content_type: parts.headers[header::CONTENT_TYPE].clone(),
            policy: policy.map(|p| p.replace(&nonce, PLACEHOLDER)),
            pieces: text
                .split(nonce.as_str())
                .map(|piece| bytes::Bytes::copy_from_slice(piece.as_bytes()))
                .collect(),
        };
        let mut kept = cache.kept();
        if kept.version != version || kept.pages.len() >= MAX_PAGES {
            kept.pages.clear();
            kept.version = version;
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
        let nonce = std::str::from_utf8(&nonce).unwrap_or_default();
        if let Some(policy) = &self.policy
            && let Ok(value) = HeaderValue::from_str(&policy.replace(PLACEHOLDER, nonce))
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        response
    }
}
