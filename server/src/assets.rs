//! The built app as the endpoint serves it: the brotli or gzip copy the build wrote beside a file
//! (`scripts/compress.mjs`) when the client accepts it, `Vary: Accept-Encoding` on every answer,
//! a year's immutable caching for file names that carry the build's content hash (trunk's
//! `dangan-<16 hex>_bg.wasm`), and `no-cache` for everything else (`index.html`, the manifest,
//! the service worker, icons), so that a new build is seen at the next start.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Caching of a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The app in `dist` for every path no route takes; an unknown path gets `index.html` (the app
/// routes it).
pub fn service(dist: &Path) -> Router {
    let shell = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(shell);
    Router::new().fallback_service(files).layer(middleware::from_fn(headers))
}

async fn headers(req: Request, next: Next) -> Response {
    let hashed = hashed_name(req.uri().path());
    let mut r = next.run(req).await;
    let cache = if hashed && r.status().is_success() { IMMUTABLE } else { "no-cache" };
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    r
}

/// Whether the last segment of `path` carries a content hash: a part of 12–16 hex digits after a
/// `-` (trunk writes a 64-bit hash without leading zeros: `dangan-799d195d164efb2_bg.wasm`,
/// `main-0f1e2d3c4b5a6978.css`).
pub fn hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('-').skip(1).any(|part| {
        let hex = part.split(['_', '.']).next().unwrap_or_default();
        (12..=16).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::hashed_name;

    #[test]
    fn hashed_names_are_the_builds_content_addressed_files() {
        assert!(hashed_name("/dangan-0f1e2d3c4b5a6978_bg.wasm"));
        assert!(hashed_name("/dangan-0f1e2d3c4b5a6978.js"));
        assert!(hashed_name("/bench/main-0f1e2d3c4b5a6978.css"));
        assert!(hashed_name("/io_worker-0f1e2d3c4b5a6978_loader.js"));
        assert!(hashed_name("/dangan-799d195d164efb2_bg.wasm"), "15 digits: the hash began with a zero");
        let plain =
            ["/", "/index.html", "/sw.js", "/manifest.webmanifest", "/icons/icon-192.png", "/io_worker_bg.wasm"];
        for plain in plain.into_iter().chain(["/a-0f1e2d3c4b.js"]) {
            assert!(!hashed_name(plain), "{plain}");
        }
    }
}
