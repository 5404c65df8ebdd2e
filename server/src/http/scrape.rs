//! `GET /metrics` (Prometheus text format, see `crate::prometheus`) and the
//! middleware that counts and times every request.
//!
//! On the main address the scrape needs an admin token (Prometheus:
//! `authorization: {type: Token, credentials_file: …}`); with
//! `RUTA_METRICS_ADDR` it is also served without a token on that separate
//! address, which must then be reachable only by the scraper.
use super::extract::{Admins, Allowed};
use crate::db::Db;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::time::Instant;

const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Requests that matched no route (static files, unknown paths) share one
/// series, so random paths cannot make the scrape grow without bound.
const UNMATCHED: &str = "unmatched";

pub async fn track(req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(req).await;
    crate::prometheus::http_request(
        &method,
        route.as_deref().unwrap_or(UNMATCHED),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

async fn exposition(db: &Db) -> Response {
    let text = crate::prometheus::render(db).await;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], Body::from(text)).into_response()
}

/// `/metrics` on the main address: admins only.
pub async fn for_admins(State(st): State<AppState>, _admin: Allowed<Admins>) -> Response {
    exposition(&st.db).await
}

/// The router of the separate metrics listener (`RUTA_METRICS_ADDR`).
pub fn separate_listener(db: Db) -> Router {
    Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let db = db.clone();
            async move { exposition(&db).await }
        }),
    )
}
