//! The site's static files (wasm, JS, CSS, favicon), read once at start and served from
//! memory: brotli or gzip as the browser accepts (precompressed by the build), an ETag, and
//! `304 Not Modified` for a copy the browser already has. Reading the file on each request
//! (through the blocking pool) served a few thousand requests per second; this serves what
//! the network allows.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::{collections::HashMap, hash::Hasher, path::Path as FsPath, sync::Arc};

struct Asset {
    content_type: &'static str,
    etag: HeaderValue,
    plain: Arc<[u8]>,
    brotli: Option<Arc<[u8]>>,
    gzip: Option<Arc<[u8]>>,
}

/// The files of one folder by name.
#[derive(Clone, Default)]
pub struct Assets(Arc<HashMap<String, Asset>>);

impl Assets {
    /// Reads every file of `dir` (not its subfolders), with its `.br` and `.gz` beside it. A
    /// missing folder gives no files (pages still work, unstyled and without JavaScript).
    pub fn load(dir: &FsPath) -> Assets {
        let mut files = HashMap::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Assets::default();
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let Ok(plain) = std::fs::read(&path) else {
                continue;
            };
            let sibling = |ext: &str| {
                std::fs::read(dir.join(format!("{name}.{ext}")))
                    .ok()
                    .map(Arc::from)
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            hasher.write(&plain);
            let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
                .expect("hex is a valid header value");
            files.insert(
                name.clone(),
                Asset {
                    content_type: content_type(&name),
                    etag,
                    brotli: sibling("br"),
                    gzip: sibling("gz"),
                    plain: Arc::from(plain),
                },
            );
        }
        Assets(Arc::new(files))
    }

    /// The response for one file, as these request headers ask for it.
    pub fn respond(&self, name: &str, request: &HeaderMap) -> Response {
        let Some(asset) = self.0.get(name) else {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        headers.insert(header::ETAG, asset.etag.clone());
        // A content-hashed name never names other bytes: browsers keep it for a year without
        // asking. Other files are kept and asked for again with their ETag.
        let cache = if is_content_hashed(name) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        let known = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim() == asset.etag || tag.trim() == "*");
        if known {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let accepts = |coding: &str| {
            request
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';');
                    let name = parts.next().unwrap_or_default().trim();
                    let refused = parts.any(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            == Some(0.0)
                    });
                    name.eq_ignore_ascii_case(coding) && !refused
                })
        };
        let (body, encoding) = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.plain.clone(), None),
        };
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (headers, Body::from(bytes_of(body))).into_response()
    }
}

fn bytes_of(data: Arc<[u8]>) -> axum::body::Bytes {
    axum::body::Bytes::from_owner(ArcBytes(data))
}

/// Lets the body share the file's bytes instead of copying them per response.
struct ArcBytes(Arc<[u8]>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `meilenstein.Ki2aU2-Z5VuvzK_mSqs-8g.js`: the part before the extension is a hash as
/// cargo-leptos writes them (base64url, 22 characters).
fn is_content_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_extension, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| {
            h.len() >= 16
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "wasm" => "application/wasm",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `GET /pkg/{file}`.
pub async fn package_file(
    State(assets): State<Assets>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    assets.respond(&name, &headers)
}

/// `GET /favicon.svg` and other files at the site's root.
pub async fn site_file(
    State(assets): State<Assets>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    assets.respond(uri.path().trim_start_matches('/'), &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn files_come_compressed_as_accepted_and_not_again_when_known() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("app.css.br"), "BR").unwrap();
        std::fs::write(dir.path().join("app.css.gz"), "GZ").unwrap();
        std::fs::write(dir.path().join("app.wasm"), "WASM").unwrap();
        let assets = Assets::load(dir.path());

        let br = assets.respond(
            "app.css",
            &request(&[(header::ACCEPT_ENCODING, "gzip, br")]),
        );
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(
            br.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let etag = br.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert_eq!(body(br).await, b"BR");

        let gz = assets.respond(
            "app.css",
            &request(&[(header::ACCEPT_ENCODING, "br;q=0, gzip")]),
        );
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(body(gz).await, b"GZ");

        let plain = assets.respond("app.css", &HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body(plain).await, b"body{}");

        let known = assets.respond("app.css", &request(&[(header::IF_NONE_MATCH, &etag)]));
        assert_eq!(known.status(), StatusCode::NOT_MODIFIED);
        assert!(body(known).await.is_empty());

        let wasm = assets.respond("app.wasm", &request(&[(header::ACCEPT_ENCODING, "br")]));
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(
            body(wasm).await,
            b"WASM",
            "no compressed copy: the file itself"
        );

        for name in ["missing.js", "app.css.br", "../Cargo.toml", ""] {
            assert_eq!(
                assets.respond(name, &HeaderMap::new()).status(),
                StatusCode::NOT_FOUND,
                "{name}"
            );
        }
        assert!(Assets::load(&dir.path().join("none")).0.is_empty());
    }
}
