//! Cache headers: static assets may be cached (briefly, as their names are
//! not content-hashed: the service worker versions them per build); API
//! answers carry tokens' data and are never stored.
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const STATIC_EXTENSIONS: &[&str] = &[
    ".js",
    ".wasm",
    ".css",
    ".png",
    ".svg",
    ".ico",
    ".webmanifest",
    ".json",
    ".woff2",
];

pub async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let value = if path.starts_with("/api/") {
        Some("no-store")
    } else if res.status().is_success()
        && (path.starts_with("/pkg/") || STATIC_EXTENSIONS.iter().any(|e| path.ends_with(e)))
    {
        Some("public, max-age=3600")
    } else {
        None
    };
    if let Some(v) = value {
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(v));
    }
    res
}
