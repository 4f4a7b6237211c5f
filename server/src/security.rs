//! What every request passes through: the session (who calls), the cross-site check for
//! changes, and the security headers of every response.

use app::{auth, state::AppState};
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::SocketAddr;

pub async fn guard(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    if is_change(request.method()) && !same_origin(request.headers(), &state) {
        return (
            StatusCode::FORBIDDEN,
            "cross-site request refused: changes are accepted only from this site's own pages",
        )
            .into_response();
    }
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    // A widget in another site's page is the same for everyone: its session is not looked at.
    let embedded = request.uri().path().starts_with("/embed/");
    let token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookies| auth::token_from_cookies(cookies, state.config.https))
        .filter(|_| !embedded)
        .map(str::to_owned);
    let caller = match caller_of(token, client, &state).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let signed_in = caller.account.is_some();
    let is_api = request.uri().path().starts_with("/api/");
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    if embedded {
        frame_for(&mut response, &state).await;
    }
    let headers = response.headers_mut();
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::REFERRER_POLICY, "same-origin");
    if !embedded {
        set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    }
    // Pages set their own policy (their scripts named by a nonce, or by their hashes once the
    // page is kept); everything else may run nothing.
    set_default(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'",
    );
    if signed_in || is_api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.https {
        set_default(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// A widget may be framed by the origins the admin allowed (none by default) and sets no
/// cookie. `X-Frame-Options` cannot name origins; `frame-ancestors` says it all.
async fn frame_for(response: &mut Response, state: &AppState) {
    let origins = match state.store.embed_origins().await {
        Ok(origins) if !origins.is_empty() => origins.join(" "),
        Ok(_) => "'none'".to_owned(),
        Err(error) => {
            tracing::error!(%error, "embedding origins unreadable: framing refused");
            "'none'".to_owned()
        }
    };
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("default-src 'none'; frame-ancestors 'none'")
        .replace(
            "frame-ancestors 'none'",
            &format!("frame-ancestors {origins}"),
        );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn set_default(headers: &mut HeaderMap, name: header::HeaderName, value: &'static str) {
    headers
        .entry(name)
        .or_insert_with(|| HeaderValue::from_static(value));
}

fn is_change(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser says where a request comes from (`Sec-Fetch-Site`, else `Origin`); a request from
/// another site is refused. Clients that send neither (scripts, curl) are no cross-site risk.
fn same_origin(headers: &HeaderMap, state: &AppState) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    match &state.config.public_origin {
        Some(public) => origin == public,
        None => headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|host| {
                origin == format!("http://{host}") || origin == format!("https://{host}")
            }),
    }
}

/// The account of the session the cookie names, if that session is alive.
async fn caller_of(
    token: Option<String>,
    client: String,
    state: &AppState,
) -> Result<auth::Caller, app::error::AppError> {
    let Some(token) = token else {
        return Ok(auth::Caller {
            client,
            ..Default::default()
        });
    };
    let hash = auth::token_hash(&token);
    let account = state
        .store
        .session_account(&hash, chrono::Utc::now(), state.config.session)
        .await?;
    Ok(auth::Caller {
        session: account.as_ref().map(|_| hash),
        account,
        client,
    })
}
