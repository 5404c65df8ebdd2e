//! The one list of the server's routes. The API router is built from it,
//! and the authorization suite (server/tests/api/authz.rs) and the OpenAPI
//! document's unit test read the same list, so a route added here without
//! an expectation or a document entry fails a test. axum's `Router` cannot
//! be listed, hence this table.
use super::{
    admin, auth, cargue, catalog, import, office_sales, openapi, report, sales, settlement, sync,
    sync_admin,
};
use super::{business, users, webhooks};
use crate::state::AppState;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};

/// One method on one path, as a client writes it (the API's `/api` prefix
/// included).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteSpec {
    pub method: Method,
    pub path: String,
}

/// Where the API router is nested.
pub const API_PREFIX: &str = "/api";

/// Routes outside the JSON API that are not Leptos pages.
pub const PLAIN_ROUTES: &[(Method, &str)] = &[
    (Method::GET, "/health"),
    (Method::GET, "/sw.js"),
    (Method::GET, "/metrics"),
];

/// WebSocket streams (GET + upgrade), served by [`super::ws`].
pub const WS_ROUTES: &[&str] = &[
    "/ws/cargue/{seller_code}/",
    "/ws/sync/status/",
    "/ws/sync/conflicts/",
    "/ws/sync/queue/",
];

type Entry = (Method, &'static str, MethodRouter<AppState>);

fn filter(method: &Method) -> MethodFilter {
    match *method {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}

/// The route's method comes from the same value the router is given, so
/// the listing cannot disagree with what is served.
fn r<H, T>(method: Method, path: &'static str, handler: H) -> Entry
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let router = on(filter(&method), handler);
    (method, path, router)
}

/// Every API route, its path relative to [`API_PREFIX`].
fn api_table() -> Vec<Entry> {
    use Method as M;
    vec![
        r(M::POST, "/v1/auth/token/", auth::token),
        r(M::POST, "/v1/auth/logout/", auth::logout),
        r(M::GET, "/v1/auth/me/", auth::me),
        r(M::GET, "/v1/users/", users::list),
        r(M::POST, "/v1/users/", users::create),
        r(M::POST, "/v1/users/{id}/password/", users::reset_password),
        r(M::GET, "/v1/users/{id}/tokens/", users::tokens),
        r(M::DELETE, "/v1/tokens/{id}/", users::revoke_token),
        r(M::GET, "/v1/devices/{device_id}/", users::device),
        r(
            M::PUT,
            "/v1/devices/{device_id}/name/",
            users::rename_device,
        ),
        r(M::GET, "/v1/sellers/", users::sellers),
        r(M::GET, "/v1/business/", business::get),
        r(M::PUT, "/v1/business/", business::put),
        r(M::GET, "/v1/customers/", catalog::list_customers),
        r(M::POST, "/v1/customers/", catalog::create_customer),
        r(M::GET, "/v1/customers/{id}/", catalog::get_customer),
        r(M::PUT, "/v1/customers/{id}/", catalog::update_customer),
        r(M::DELETE, "/v1/customers/{id}/", catalog::delete_customer),
        r(M::GET, "/v1/products/", catalog::list_products),
        r(M::POST, "/v1/products/", catalog::create_product),
        r(M::GET, "/v1/products/{id}/", catalog::get_product),
        r(M::PUT, "/v1/products/{id}/", catalog::update_product),
        r(M::DELETE, "/v1/products/{id}/", catalog::delete_product),
        r(M::POST, "/v1/customers/import/", import::customers),
        r(M::POST, "/v1/products/import/", import::products),
        r(M::GET, "/v1/catalog/changes/", catalog::changes),
        r(M::GET, "/v1/sales/", sales::list),
        r(M::POST, "/v1/sales/", sync::create_one),
        r(M::GET, "/v1/sales/{id}/", sales::detail),
        r(M::POST, "/v1/sales/{id}/void/", sales::void),
        r(M::POST, "/v1/sales/sync/upload/", sync::upload),
        r(M::GET, "/v1/sales/sync/pending/", sync::pending),
        r(M::POST, "/v1/sales/sync/retry/", sync::retry),
        r(M::POST, "/v1/sales/sync/resolve/", sync::resolve),
        r(M::GET, "/v1/sales/sync/status/{id}/", sync::status),
        r(M::GET, "/v1/sync/config/", sync_admin::get_config),
        r(M::PUT, "/v1/sync/config/", sync_admin::put_config),
        r(M::GET, "/v1/sync/rate/", sync_admin::get_rate),
        r(M::PUT, "/v1/sync/rate/", sync_admin::put_rate),
        r(M::GET, "/v1/sync/log/", sync_admin::log),
        r(M::GET, "/v1/sync/log/verify/", sync_admin::verify),
        r(M::GET, "/v1/sync/log/export.csv", sync_admin::export_csv),
        r(M::GET, "/v1/sync/conflicts/", admin::conflicts),
        r(M::GET, "/v1/sync/conflicts/{sale_id}/", admin::conflict),
        r(M::GET, "/v1/admin/overview/", admin::overview),
        r(M::GET, "/v1/admin/sales/", office_sales::list),
        r(
            M::GET,
            "/v1/admin/sales/export.csv",
            office_sales::export_csv,
        ),
        r(
            M::GET,
            "/v1/admin/sales/{id}/history/",
            office_sales::history,
        ),
        r(M::GET, "/v1/cargue/{seller_code}/", cargue::get),
        r(M::PUT, "/v1/cargue/{seller_code}/", cargue::replace),
        r(M::POST, "/v1/cargue/{seller_code}/check/", cargue::check),
        r(M::POST, "/v1/cargue/{seller_code}/close/", cargue::close),
        r(
            M::GET,
            "/v1/cargue/{seller_code}/settlement/",
            settlement::get,
        ),
        r(
            M::GET,
            "/v1/cargue/{seller_code}/settlement/versions/",
            settlement::versions,
        ),
        r(
            M::POST,
            "/v1/cargue/{seller_code}/settle/",
            settlement::settle,
        ),
        r(
            M::POST,
            "/v1/cargue/{seller_code}/reopen/",
            settlement::reopen,
        ),
        r(M::GET, "/v1/reports/daily/", report::daily),
        r(M::GET, "/v1/reports/daily.csv", report::daily_csv),
        r(M::GET, "/v1/webhooks/", webhooks::list),
        r(M::POST, "/v1/webhooks/", webhooks::create),
        r(M::GET, "/v1/webhooks/{id}/", webhooks::get),
        r(M::PUT, "/v1/webhooks/{id}/", webhooks::update),
        r(M::DELETE, "/v1/webhooks/{id}/", webhooks::delete),
        r(
            M::POST,
            "/v1/webhooks/{id}/secret/",
            webhooks::rotate_secret,
        ),
        r(M::POST, "/v1/webhooks/{id}/test/", webhooks::test),
        r(
            M::GET,
            "/v1/webhooks/{id}/deliveries/",
            webhooks::deliveries,
        ),
        r(M::GET, "/v1/openapi.json", openapi::spec),
    ]
}

/// The API router (to nest under [`API_PREFIX`]). axum merges the method
/// routers given for one path.
pub fn api_router() -> axum::Router<AppState> {
    api_table()
        .into_iter()
        .fold(axum::Router::new(), |router, (_, path, methods)| {
            router.route(path, methods)
        })
}

/// Every API route with its full path (`/api/v1/…`).
pub fn api_routes() -> Vec<RouteSpec> {
    api_table()
        .into_iter()
        .map(|(method, path, _)| RouteSpec {
            method,
            path: format!("{API_PREFIX}{path}"),
        })
        .collect()
}

/// Every route the server answers except the Leptos pages: the API, the
/// plain routes and the WebSocket streams.
pub fn all_routes() -> Vec<RouteSpec> {
    let mut routes = api_routes();
    routes.extend(PLAIN_ROUTES.iter().map(|(method, path)| RouteSpec {
        method: method.clone(),
        path: (*path).to_owned(),
    }));
    routes.extend(WS_ROUTES.iter().map(|path| RouteSpec {
        method: Method::GET,
        path: (*path).to_owned(),
    }));
    routes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The OpenAPI document lists exactly the API routes plus `/health`.
    #[test]
    fn openapi_document_matches_the_route_table() {
        let documented: BTreeSet<(String, String)> = super::openapi::OPERATIONS
            .iter()
            .map(|op| (op.method.to_string(), op.path.to_owned()))
            .collect();
        let mut served: BTreeSet<(String, String)> = api_routes()
            .into_iter()
            .map(|r| (r.method.to_string(), r.path))
            .collect();
        served.insert(("GET".into(), "/health".into()));
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "not in openapi.rs: {undocumented:?}"
        );
        assert!(unserved.is_empty(), "documented, not served: {unserved:?}");
    }

    #[test]
    fn no_route_is_listed_twice() {
        let all = all_routes();
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
    }
}
