//! Routes → thin handlers. Handlers check roles, parse input and call a
//! service; the middleware stack adds request ids, one tracing span per
//! request, compression, body limits and JSON errors for every failure.
pub mod admin;
pub mod auth;
pub mod caching;
pub mod cargue;
pub mod catalog;
pub mod error;
pub mod extract;
pub mod health;
pub mod import;
pub mod openapi;
pub mod pagination;
pub mod sales;
pub mod security_headers;
pub mod service_worker;
pub mod sync;
pub mod sync_admin;
pub mod users;
pub mod webhooks;
pub mod ws;

use crate::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{header, HeaderName, HeaderValue, Request, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use error::ApiError;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The JSON API, mounted under `/api`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/token/", post(auth::token))
        .route("/v1/auth/logout/", post(auth::logout))
        .route("/v1/auth/me/", get(auth::me))
        .route("/v1/users/", get(users::list).post(users::create))
        .route("/v1/users/{id}/password/", post(users::reset_password))
        .route("/v1/users/{id}/tokens/", get(users::tokens))
        .route("/v1/tokens/{id}/", delete(users::revoke_token))
        .route("/v1/sellers/", get(users::sellers))
        .route(
            "/v1/customers/",
            get(catalog::list_customers).post(catalog::create_customer),
        )
        .route(
            "/v1/customers/{id}/",
            get(catalog::get_customer)
                .put(catalog::update_customer)
                .delete(catalog::delete_customer),
        )
        .route(
            "/v1/products/",
            get(catalog::list_products).post(catalog::create_product),
        )
        .route(
            "/v1/products/{id}/",
            get(catalog::get_product)
                .put(catalog::update_product)
                .delete(catalog::delete_product),
        )
        .route("/v1/customers/import/", post(import::customers))
        .route("/v1/products/import/", post(import::products))
        .route("/v1/catalog/changes/", get(catalog::changes))
        .route("/v1/sales/", get(sales::list).post(sync::create_one))
        .route("/v1/sales/{id}/", get(sales::detail))
        .route("/v1/sales/sync/upload/", post(sync::upload))
        .route("/v1/sales/sync/pending/", get(sync::pending))
        .route("/v1/sales/sync/retry/", post(sync::retry))
        .route("/v1/sales/sync/resolve/", post(sync::resolve))
        .route("/v1/sales/sync/status/{id}/", get(sync::status))
        .route(
            "/v1/sync/config/",
            get(sync_admin::get_config).put(sync_admin::put_config),
        )
        .route(
            "/v1/sync/rate/",
            get(sync_admin::get_rate).put(sync_admin::put_rate),
        )
        .route("/v1/sync/log/", get(sync_admin::log))
        .route("/v1/sync/log/verify/", get(sync_admin::verify))
        .route("/v1/sync/log/export.csv", get(sync_admin::export_csv))
        .route("/v1/sync/conflicts/", get(admin::conflicts))
        .route("/v1/sync/conflicts/{sale_id}/", get(admin::conflict))
        .route("/v1/admin/overview/", get(admin::overview))
        .route(
            "/v1/cargue/{seller_code}/",
            get(cargue::get).put(cargue::replace),
        )
        .route("/v1/cargue/{seller_code}/check/", post(cargue::check))
        .route("/v1/cargue/{seller_code}/close/", post(cargue::close))
        .route("/v1/webhooks/", get(webhooks::list).post(webhooks::create))
        .route(
            "/v1/webhooks/{id}/",
            get(webhooks::get)
                .put(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/v1/webhooks/{id}/secret/", post(webhooks::rotate_secret))
        .route("/v1/webhooks/{id}/test/", post(webhooks::test))
        .route("/v1/webhooks/{id}/deliveries/", get(webhooks::deliveries))
        .route("/v1/openapi.json", get(openapi::spec))
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
