//! Routes → thin handlers. Handlers check roles, parse input and call a
//! service; the middleware stack adds request ids, one tracing span per
//! request, compression, body limits and JSON errors for every failure.
pub mod admin;
pub mod auth;
pub mod business;
pub mod caching;
pub mod cargue;
pub mod catalog;
pub mod error;
pub mod extract;
pub mod health;
pub mod import;
pub mod office_sales;
pub mod openapi;
pub mod pagination;
pub mod report;
pub mod routes;
pub mod sales;
pub mod scrape;
pub mod security_headers;
pub mod service_worker;
pub mod settlement;
pub mod sync;
pub mod sync_admin;
pub mod users;
pub mod webhooks;
pub mod ws;

use crate::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{header, HeaderName, HeaderValue, Request, Response};
use axum::Router;
use error::ApiError;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The JSON API, mounted under `/api`; its routes are listed in [`routes`].
pub fn api() -> Router<AppState> {
    routes::api_router()
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("handler panicked");
    let mut r = Response::new(Body::from(r#"{"detail":"Internal server error."}"#));
    *r.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Wraps the whole app (API, pages, assets) in the common middleware.
pub fn with_middleware(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<Body>| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| req.uri().path().to_owned());
            let request_id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            tracing::info_span!(
                "request",
                method = %req.method(),
                route,
                request_id,
                user_id = tracing::field::Empty,
            )
        })
        .on_response(
            |res: &Response<Body>, latency: Duration, _span: &tracing::Span| {
                tracing::info!(
                    status = res.status().as_u16(),
                    latency_ms = latency.as_millis() as u64,
                    "response"
                );
            },
        );
    router
        .layer(axum::middleware::from_fn(caching::cache_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
