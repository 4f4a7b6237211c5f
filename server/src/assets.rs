//! The site's static files (wasm, JS, CSS, favicon), read once at start and served from
//! memory: brotli or gzip as the browser accepts, an ETag, and `304 Not Modified` for a copy
//! the browser already has. Reading the file on each request (through the blocking pool)
//! served a few thousand requests per second; this serves what the network allows.
//!
//! The build writes the bundle as `meilenstein.js`, `meilenstein.wasm` and `meilenstein.css`;
//! here they are compressed once and named by their content's hash
//! (`meilenstein.<hash>.js` …), so browsers may keep them for a year: a new build is a new
//! name. No build tool needs to do either, and nothing has to be copied beside the binary.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    io::Write,
    path::Path as FsPath,
    sync::{Arc, OnceLock},
};

/// The bundle's files, by extension, as the build names them (`{output_name}.{extension}`).
const BUNDLE: [&str; 3] = ["js", "wasm", "css"];

struct Asset {
    content_type: &'static str,
    etag: HeaderValue,
    plain: Arc<[u8]>,
    /// The compressed copies, once made (in the background after start: the server answers
    /// at once, with the file itself until then).
    packed: OnceLock<Packed>,
}

#[derive(Default)]
struct Packed {
    brotli: Option<Arc<[u8]>>,
    gzip: Option<Arc<[u8]>>,
}

/// The files of one folder by name.
#[derive(Clone, Default)]
pub struct Assets(Arc<HashMap<String, Asset>>);

/// The built site: the bundle's folder (`pkg`) and the files at the site's root.
pub struct Site {
    pub package: Assets,
    pub root: Assets,
    /// The bundle's files' name without extension, with its hash
    /// (`meilenstein.Ki2aU2-Z5VuvzK_mSqs-8g`); `output_name` when there is no bundle.
    pub bundle: String,
}

impl Site {
    /// Reads the site folder. A missing folder gives no files (pages still work, unstyled and
    /// without JavaScript).
    pub fn load(root: &FsPath, package_dir: &str, output_name: &str) -> Site {
        let mut package = read_files(&root.join(package_dir));
        let bundle = match bundle_hash(&package, output_name) {
            Some(hash) => {
                let hashed = format!("{output_name}.{hash}");
                for extension in BUNDLE {
                    if let Some(file) = package.remove(&format!("{output_name}.{extension}")) {
                        package.insert(format!("{hashed}.{extension}"), file);
                    }
                }
                hashed
            }
            None => output_name.to_owned(),
        };
        let site = Site {
            package: Assets::of(package),
            root: Assets::of(read_files(root)),
            bundle,
        };
        site.package.compress_in_background();
        site.root.compress_in_background();
        site
    }
}

/// One hash over the whole bundle (its files change together): the first 16 bytes of the
/// SHA-256 of their contents, base64url, 22 characters.
fn bundle_hash(files: &HashMap<String, Vec<u8>>, output_name: &str) -> Option<String> {
    let mut hasher = Sha256::new();
    let mut any = false;
    for extension in BUNDLE {
        if let Some(bytes) = files.get(&format!("{output_name}.{extension}")) {
            hasher.update(extension.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
            any = true;
        }
    }
    any.then(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hasher.finalize()[..16]))
}

/// Every file of `dir` (not its subfolders) by name; compressed copies an older build left
/// beside them (`.br`, `.gz`) are not files of the site.
fn read_files(dir: &FsPath) -> HashMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.path().is_file())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".br") || name.ends_with(".gz") {
                return None;
            }
            Some((name, std::fs::read(entry.path()).ok()?))
        })
        .collect()
}

impl Assets {
    /// Reads every file of `dir` (not its subfolders), compressed before it returns.
    #[cfg(test)]
    pub fn load(dir: &FsPath) -> Assets {
        let assets = Assets::of(read_files(dir));
        assets.compress();
        assets
    }

    /// The files as they are; [`Assets::compress`] adds the compressed copies.
    fn of(files: HashMap<String, Vec<u8>>) -> Assets {
        let assets = files
            .into_iter()
            .map(|(name, plain)| {
                let asset = Asset::new(&name, plain);
                (name, asset)
            })
            .collect();
        Assets(Arc::new(assets))
    }

    /// Compresses each file once where that makes it smaller (brotli at its best quality
    /// takes about a second for the wasm bundle).
    fn compress(&self) {
        for asset in self.0.values() {
            asset.packed.get_or_init(|| asset.pack());
        }
    }

    /// Compresses the files on a thread of their own: the server answers meanwhile.
    fn compress_in_background(&self) {
        let assets = self.clone();
        let started = std::thread::Builder::new()
            .name("compress-site-files".into())
            .spawn(move || assets.compress());
        if let Err(error) = started {
            tracing::warn!(%error, "site files served uncompressed");
        }
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
        let accepts = |coding: &str| accepts(request, coding);
        let packed = asset.packed.get();
        let brotli = packed.and_then(|p| p.brotli.as_ref());
        let gzip = packed.and_then(|p| p.gzip.as_ref());
        let (body, encoding) = match (brotli, gzip) {
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

impl Asset {
    fn new(name: &str, plain: Vec<u8>) -> Asset {
        let etag = HeaderValue::from_str(&format!(
            "\"{}\"",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(&plain)[..12])
        ))
        .expect("base64url is a valid header value");
        Asset {
            content_type: content_type(name),
            etag,
            plain: Arc::from(plain),
            packed: OnceLock::new(),
        }
    }

    fn pack(&self) -> Packed {
        if matches!(self.content_type, "image/png" | "image/x-icon") {
            return Packed::default();
        }
        let plain = &self.plain;
        let smaller = |packed: Vec<u8>| (packed.len() < plain.len()).then(|| Arc::from(packed));
        Packed {
            brotli: smaller(brotli(plain)),
            gzip: smaller(gzip(plain)),
        }
    }
}

/// Whether the request's `Accept-Encoding` takes `coding` (named, and not with `q=0`).
pub(crate) fn accepts(request: &HeaderMap, coding: &str) -> bool {
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
}

/// Brotli at its best quality: done once per file at start.
fn brotli(plain: &[u8]) -> Vec<u8> {
    brotli_at(plain, 11)
}

/// Brotli at `quality` (0–11; a kept page takes 5: a few milliseconds, within a few per cent
/// of the best).
pub(crate) fn brotli_at(plain: &[u8], quality: u32) -> Vec<u8> {
    let mut packed = Vec::with_capacity(plain.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut packed, 1 << 16, quality, 22);
        writer
            .write_all(plain)
            .expect("compressing into memory cannot fail");
    }
    packed
}

fn gzip(plain: &[u8]) -> Vec<u8> {
    gzip_at(plain, flate2::Compression::best())
}

pub(crate) fn gzip_at(plain: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut writer = flate2::write::GzEncoder::new(Vec::with_capacity(plain.len() / 3), level);
    writer
        .write_all(plain)
        .expect("compressing into memory cannot fail");
    writer
        .finish()
        .expect("compressing into memory cannot fail")
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

/// `meilenstein.Ki2aU2-Z5VuvzK_mSqs-8g.js`: the part before the extension is a hash
/// (base64url, 22 characters; see [`bundle_hash`]).
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
        let css = "body { color: black; }\n".repeat(50);
        std::fs::write(dir.path().join("app.css"), &css).unwrap();
        std::fs::write(dir.path().join("app.css.br"), "left by an older build").unwrap();
        std::fs::write(dir.path().join("tiny.wasm"), "W").unwrap();
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
        let packed = body(br).await;
        assert!(packed.len() < css.len() / 4, "{} bytes", packed.len());
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut packed.as_slice(), &mut unpacked).unwrap();
        assert_eq!(unpacked, css.as_bytes());

        let gz = assets.respond(
            "app.css",
            &request(&[(header::ACCEPT_ENCODING, "br;q=0, gzip")]),
        );
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let packed = body(gz).await;
        let mut unpacked = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(packed.as_slice()),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, css);

        let plain = assets.respond("app.css", &HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body(plain).await, css.as_bytes());

        let known = assets.respond("app.css", &request(&[(header::IF_NONE_MATCH, &etag)]));
        assert_eq!(known.status(), StatusCode::NOT_MODIFIED);
        assert!(body(known).await.is_empty());

        let wasm = assets.respond("tiny.wasm", &request(&[(header::ACCEPT_ENCODING, "br")]));
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(
            body(wasm).await,
            b"W",
            "compressed it would be larger: the file itself"
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

    #[test]
    fn the_bundle_is_named_by_its_content_and_renamed_with_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        for extension in BUNDLE {
            std::fs::write(pkg.join(format!("meilenstein.{extension}")), extension).unwrap();
        }
        let site = Site::load(dir.path(), "pkg", "meilenstein");
        let hash = site.bundle.strip_prefix("meilenstein.").unwrap();
        assert_eq!(hash.len(), 22);
        for extension in BUNDLE {
            let name = format!("{}.{extension}", site.bundle);
            let response = site.package.respond(&name, &HeaderMap::new());
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            assert_eq!(
                response.headers()[header::CACHE_CONTROL],
                "public, max-age=31536000, immutable"
            );
            assert_eq!(
                site.package
                    .respond(&format!("meilenstein.{extension}"), &HeaderMap::new())
                    .status(),
                StatusCode::NOT_FOUND,
                "only under its hashed name"
            );
        }
        let favicon = site.root.respond("favicon.svg", &HeaderMap::new());
        assert_eq!(favicon.headers()[header::CACHE_CONTROL], "no-cache");

        std::fs::write(pkg.join("meilenstein.css"), "changed").unwrap();
        let changed = Site::load(dir.path(), "pkg", "meilenstein");
        assert_ne!(changed.bundle, site.bundle);
        let empty = Site::load(&dir.path().join("none"), "pkg", "meilenstein");
        assert_eq!(empty.bundle, "meilenstein");
    }
}
