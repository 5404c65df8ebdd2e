//! The OpenAPI document served at `/api/v1/openapi.json`, built with
//! utoipa from the same route table the router uses.
use axum::Json;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder};

/// (path, method, summary, roles allowed; empty = no token needed)
pub const OPERATIONS: &[(&str, HttpMethod, &str, &str)] = &[
    (
        "/api/v1/auth/token/",
        HttpMethod::Post,
        "Log in: token for (user, device)",
        "",
    ),
    (
        "/api/v1/auth/logout/",
        HttpMethod::Post,
        "Revoke the calling token",
        "any",
    ),
    (
        "/api/v1/auth/me/",
        HttpMethod::Get,
        "The calling user",
        "any",
    ),
    (
        "/api/v1/sync/rate/",
        HttpMethod::Get,
        "The sync rate limit in force",
        "admin",
    ),
    (
        "/api/v1/sync/rate/",
        HttpMethod::Put,
        "Set the sync rate limit (`50/hour`, `off`)",
        "admin",
    ),
    ("/api/v1/users/", HttpMethod::Get, "List users", "admin"),
    ("/api/v1/users/", HttpMethod::Post, "Create a user", "admin"),
    (
        "/api/v1/users/{id}/password/",
        HttpMethod::Post,
        "Reset a user's password",
        "admin",
    ),
    (
        "/api/v1/users/{id}/tokens/",
        HttpMethod::Get,
        "A user's device tokens",
        "admin",
    ),
    (
        "/api/v1/tokens/{id}/",
        HttpMethod::Delete,
        "Revoke a token",
        "admin",
    ),
    (
        "/api/v1/customers/",
        HttpMethod::Get,
        "List/search customers",
        "any",
    ),
    (
        "/api/v1/customers/",
        HttpMethod::Post,
        "Create a customer",
        "admin, seller",
    ),
    (
        "/api/v1/customers/{id}/",
        HttpMethod::Get,
        "One customer",
        "any",
    ),
    (
        "/api/v1/customers/{id}/",
        HttpMethod::Put,
        "Update a customer",
        "admin",
    ),
    (
        "/api/v1/customers/{id}/",
        HttpMethod::Delete,
        "Deactivate a customer",
        "admin",
    ),
    (
        "/api/v1/products/",
        HttpMethod::Get,
        "List/search products",
        "any",
    ),
    (
        "/api/v1/products/",
        HttpMethod::Post,
        "Create a product",
        "admin",
    ),
    (
        "/api/v1/products/{id}/",
        HttpMethod::Get,
        "One product",
        "any",
    ),
    (
        "/api/v1/products/{id}/",
        HttpMethod::Put,
        "Update a product",
        "admin",
    ),
    (
        "/api/v1/products/{id}/",
        HttpMethod::Delete,
        "Deactivate a product",
        "admin",
    ),
    (
        "/api/v1/catalog/changes/",
        HttpMethod::Get,
        "Catalog changes after a cursor",
        "any",
    ),
    (
        "/api/v1/sales/",
        HttpMethod::Get,
        "List sales",
        "any (sellers: own)",
    ),
    (
        "/api/v1/sales/",
        HttpMethod::Post,
        "Upload one sale",
        "seller, admin",
    ),
    (
        "/api/v1/sales/{id}/",
        HttpMethod::Get,
        "One sale with items",
        "any (sellers: own)",
    ),
    (
        "/api/v1/sales/sync/upload/",
        HttpMethod::Post,
        "Upload up to 500 sales",
        "seller, admin",
    ),
    (
        "/api/v1/sales/sync/pending/",
        HttpMethod::Get,
        "Unsynced sales",
        "seller, admin",
    ),
    (
        "/api/v1/sales/sync/retry/",
        HttpMethod::Post,
        "Re-queue sales in error",
        "seller, admin",
    ),
    (
        "/api/v1/sales/sync/resolve/",
        HttpMethod::Post,
        "Resolve a conflict",
        "seller (own), admin",
    ),
    (
        "/api/v1/sales/sync/status/{id}/",
        HttpMethod::Get,
        "A sale's sync status",
        "seller (own), admin",
    ),
    (
        "/api/v1/sync/config/",
        HttpMethod::Get,
        "Conflict strategies",
        "admin",
    ),
    (
        "/api/v1/sync/config/",
        HttpMethod::Put,
        "Set conflict strategies (partial)",
        "admin",
    ),
    (
        "/api/v1/sync/log/",
        HttpMethod::Get,
        "The sync log, newest first, by cursor",
        "admin",
    ),
    (
        "/api/v1/sync/log/verify/",
        HttpMethod::Get,
        "Verify the log's hash chains",
        "admin",
    ),
    (
        "/api/v1/cargue/{seller_code}/",
        HttpMethod::Get,
        "A seller's cargue sheet (?date=)",
        "dispatcher, admin, that seller",
    ),
    (
        "/api/v1/cargue/{seller_code}/",
        HttpMethod::Put,
        "Replace the planned lines (?date=)",
        "dispatcher, admin",
    ),
    (
        "/api/v1/cargue/{seller_code}/check/",
        HttpMethod::Post,
        "Tick V (seller) or D (dispatcher)",
        "seller (own, v), dispatcher (d), admin",
    ),
    (
        "/api/v1/cargue/{seller_code}/close/",
        HttpMethod::Post,
        "Close the shift",
        "dispatcher, admin",
    ),
    (
        "/api/v1/webhooks/",
        HttpMethod::Get,
        "List webhooks",
        "admin",
    ),
    (
        "/api/v1/webhooks/",
        HttpMethod::Post,
        "Register a webhook (answer carries its secret, once)",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/",
        HttpMethod::Get,
        "One webhook",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/",
        HttpMethod::Put,
        "Change a webhook (partial: url, events, active)",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/",
        HttpMethod::Delete,
        "Delete a webhook and its delivery history",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/secret/",
        HttpMethod::Post,
        "Rotate a webhook's secret",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/test/",
        HttpMethod::Post,
        "Queue a ping delivery (202)",
        "admin",
    ),
    (
        "/api/v1/webhooks/{id}/deliveries/",
        HttpMethod::Get,
        "A webhook's deliveries, newest first",
        "admin",
    ),
    (
        "/api/v1/sellers/",
        HttpMethod::Get,
        "Active sellers, by code",
        "dispatcher, admin",
    ),
    (
        "/api/v1/products/import/",
        HttpMethod::Post,
        "Import products from CSV (text/csv); a known SKU updates",
        "admin",
    ),
    (
        "/api/v1/customers/import/",
        HttpMethod::Post,
        "Import customers from CSV (text/csv)",
        "admin",
    ),
    (
        "/api/v1/admin/overview/",
        HttpMethod::Get,
        "Dashboard overview: devices, today's sales, sync queue, series",
        "admin",
    ),
    (
        "/api/v1/sync/conflicts/",
        HttpMethod::Get,
        "Open conflicts, newest first (?limit=&offset=)",
        "admin",
    ),
    (
        "/api/v1/sync/conflicts/{sale_id}/",
        HttpMethod::Get,
        "A sale's open conflict with both copies",
        "admin",
    ),
    (
        "/api/v1/sync/log/export.csv",
        HttpMethod::Get,
        "The sync log as CSV (log filters; at most 100,000 rows)",
        "admin",
    ),
    ("/api/v1/openapi.json", HttpMethod::Get, "This document", ""),
    (
        "/health",
        HttpMethod::Get,
        "Liveness and database check",
        "",
    ),
];

pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for (path, method, summary, roles) in OPERATIONS {
        let mut op = OperationBuilder::new()
            .summary(Some(*summary))
            .response("200", ResponseBuilder::new().description("OK"));
        if !roles.is_empty() {
            op = op
                .description(Some(format!("Roles: {roles}")))
                .response("401", ResponseBuilder::new().description("No or bad token"))
                .response("403", ResponseBuilder::new().description("Wrong role"))
                .security(utoipa::openapi::security::SecurityRequirement::new::<
                    _,
                    _,
                    &str,
                >("token", []));
        }
        paths = paths.path(*path, PathItem::new(method.clone(), op.build()));
    }
    OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Ruta API").version("1").build())
        .paths(paths.build())
        .components(Some(
            ComponentsBuilder::new()
                .security_scheme(
                    "token",
                    SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("Authorization"))),
                )
                .build(),
        ))
        .build()
}

pub async fn spec() -> Json<OpenApi> {
    Json(document())
}
