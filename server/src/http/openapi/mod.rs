//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`: every
//! operation with its parameters, request body and responses. The table
//! below is checked against the router's own route table (routes.rs), and
//! the schemas (schemas.rs) against real answers by schemathesis.
#[cfg(test)]
mod conformance;
mod schemas;

use axum::http::Method;
use axum::Json;
use serde_json::{json, Map, Value};

/// What an operation reads.
pub enum Body {
    None,
    /// `application/json` with the named schema.
    Json(&'static str),
    /// `text/csv`, a header row then one row per record.
    Csv,
}

/// What an answer carries.
pub enum Reply {
    Json(&'static str),
    Csv,
    Empty,
}

/// Who may call an operation.
pub enum Access {
    Public,
    /// Roles, as a person reads them (`"seller (own), admin"`).
    Roles(&'static str),
}

pub struct Operation {
    pub method: Method,
    pub path: &'static str,
    pub summary: &'static str,
    pub access: Access,
    /// Query parameters by name (see [`query_parameter`]).
    pub query: &'static [&'static str],
    pub body: Body,
    /// The answers a well-formed call gets, besides the errors every
    /// operation shares (`default`).
    pub replies: &'static [(u16, Reply)],
}

use Access::{Public, Roles};
use Reply::Json as J;

const fn op(
    method: Method,
    path: &'static str,
    summary: &'static str,
    access: Access,
    query: &'static [&'static str],
    body: Body,
    replies: &'static [(u16, Reply)],
) -> Operation {
    Operation {
        method,
        path,
        summary,
        access,
        query,
        body,
        replies,
    }
}

const PAGE: &[&str] = &["limit", "offset"];
const SEARCH: &[&str] = &["q", "limit", "offset"];
const DATE: &[&str] = &["date"];
const REPORT: &[&str] = &["from", "to", "seller"];
const OFFICE_FILTERS: &[&str] = &[
    "seller",
    "device_id",
    "customer",
    "from",
    "to",
    "sync_status",
    "payment_method",
    "cursor",
    "limit",
];
const LOG_FILTERS: &[&str] = &[
    "action",
    "device_id",
    "seller",
    "since",
    "until",
    "limit",
    "cursor",
];

// One operation a line: a table reads better than rustfmt's one argument a line.
#[rustfmt::skip]
pub const OPERATIONS: &[Operation] = &[
    op(Method::POST, "/api/v1/auth/token/", "Log in: token for (user, device)", Public, &[], Body::Json("Login"), &[(200, J("TokenAnswer"))]),
    op(Method::POST, "/api/v1/auth/logout/", "Revoke the calling token", Roles("any"), &[], Body::None, &[(204, Reply::Empty)]),
    op(Method::GET, "/api/v1/auth/me/", "The calling user", Roles("any"), &[], Body::None, &[(200, J("User"))]),
    op(Method::GET, "/api/v1/sync/rate/", "The sync rate limit in force", Roles("admin"), &[], Body::None, &[(200, J("SyncRate"))]),
    op(Method::PUT, "/api/v1/sync/rate/", "Set the sync rate limit (`50/hour`, `off`)", Roles("admin"), &[], Body::Json("SyncRate"), &[(200, J("SyncRate"))]),
    op(Method::GET, "/api/v1/users/", "List users", Roles("admin"), PAGE, Body::None, &[(200, J("UserPage"))]),
    op(Method::POST, "/api/v1/users/", "Create a user", Roles("admin"), &[], Body::Json("NewUser"), &[(201, J("User"))]),
    op(Method::POST, "/api/v1/users/{id}/password/", "Reset a user's password", Roles("admin"), &[], Body::Json("PasswordReset"), &[(204, Reply::Empty)]),
    op(Method::GET, "/api/v1/users/{id}/tokens/", "A user's device tokens", Roles("admin"), &[], Body::None, &[(200, J("TokenList"))]),
    op(Method::DELETE, "/api/v1/tokens/{id}/", "Revoke a token", Roles("admin"), &[], Body::None, &[(204, Reply::Empty)]),
    op(Method::GET, "/api/v1/customers/", "List/search customers", Roles("any"), SEARCH, Body::None, &[(200, J("CustomerPage"))]),
    op(Method::POST, "/api/v1/customers/", "Create a customer", Roles("admin, seller"), &[], Body::Json("CustomerInput"), &[(201, J("Customer"))]),
    op(Method::GET, "/api/v1/customers/{id}/", "One customer", Roles("any"), &[], Body::None, &[(200, J("Customer"))]),
    op(Method::PUT, "/api/v1/customers/{id}/", "Update a customer", Roles("admin"), &[], Body::Json("CustomerInput"), &[(200, J("Customer")), (409, J("CatalogConflict"))]),
    op(Method::DELETE, "/api/v1/customers/{id}/", "Deactivate a customer", Roles("admin"), &[], Body::None, &[(204, Reply::Empty)]),
    op(Method::GET, "/api/v1/products/", "List/search products", Roles("any"), SEARCH, Body::None, &[(200, J("ProductPage"))]),
    op(Method::POST, "/api/v1/products/", "Create a product", Roles("admin"), &[], Body::Json("ProductInput"), &[(201, J("Product"))]),
    op(Method::GET, "/api/v1/products/{id}/", "One product", Roles("any"), &[], Body::None, &[(200, J("Product"))]),
    op(Method::PUT, "/api/v1/products/{id}/", "Update a product", Roles("admin"), &[], Body::Json("ProductInput"), &[(200, J("Product")), (409, J("CatalogConflict"))]),
    op(Method::DELETE, "/api/v1/products/{id}/", "Deactivate a product", Roles("admin"), &[], Body::None, &[(204, Reply::Empty)]),
    op(Method::GET, "/api/v1/catalog/changes/", "Catalog changes after a cursor (none: a full snapshot)", Roles("any"), &["since"], Body::None, &[(200, J("CatalogChanges"))]),
    op(Method::GET, "/api/v1/sales/", "List sales, newest first", Roles("any (sellers: own)"), &["seller", "date", "limit", "offset"], Body::None, &[(200, J("SalePage"))]),
    op(Method::POST, "/api/v1/sales/", "Upload one sale", Roles("seller, admin"), &[], Body::Json("SaleDraft"), &[(201, J("Sale")), (200, J("SingleSaleAnswer")), (400, J("SingleSaleAnswer")), (409, J("SingleSaleAnswer"))]),
    op(Method::GET, "/api/v1/sales/{id}/", "One sale with items", Roles("any (sellers: own)"), &[], Body::None, &[(200, J("Sale"))]),
    op(Method::POST, "/api/v1/sales/{id}/void/", "Void a confirmed sale (a new version, same number)", Roles("admin; seller (own, same day)"), &[], Body::Json("VoidBody"), &[(200, J("Sale"))]),
    op(Method::POST, "/api/v1/sales/sync/upload/", "Upload up to 500 sales, each in its own transaction", Roles("seller, admin"), &[], Body::Json("UploadBody"), &[(200, J("UploadAnswer")), (400, J("UploadRefusal"))]),
    op(Method::GET, "/api/v1/sales/sync/pending/", "Unsynced sales (pending, error, conflict)", Roles("seller, admin"), &["limit", "offset", "seller", "sync_status", "device_id"], Body::None, &[(200, J("PendingPage"))]),
    op(Method::POST, "/api/v1/sales/sync/retry/", "Re-queue sales in error", Roles("seller, admin"), &[], Body::Json("RetryBody"), &[(200, J("RetryAnswer"))]),
    op(Method::POST, "/api/v1/sales/sync/resolve/", "Resolve a conflict", Roles("seller (own), admin"), &[], Body::Json("ResolveBody"), &[(200, J("ResolveAnswer"))]),
    op(Method::GET, "/api/v1/sales/sync/status/{id}/", "A sale's sync status", Roles("seller (own), admin"), &[], Body::None, &[(200, J("SyncStatus"))]),
    op(Method::GET, "/api/v1/sync/config/", "Conflict strategies and critical flags", Roles("any"), &[], Body::None, &[(200, J("SyncConfig"))]),
    op(Method::PUT, "/api/v1/sync/config/", "Set conflict strategies (partial)", Roles("admin"), &[], Body::Json("SyncConfig"), &[(200, J("SyncConfig"))]),
    op(Method::GET, "/api/v1/sync/log/", "The sync log, newest first, by cursor", Roles("admin"), LOG_FILTERS, Body::None, &[(200, J("LogPage"))]),
    op(Method::GET, "/api/v1/sync/log/verify/", "Verify the log's hash chains", Roles("admin"), &[], Body::None, &[(200, J("Verification"))]),
    op(Method::GET, "/api/v1/cargue/{seller_code}/", "A seller's cargue sheet", Roles("dispatcher, admin, that seller"), DATE, Body::None, &[(200, J("CargueSheet"))]),
    op(Method::PUT, "/api/v1/cargue/{seller_code}/", "Replace the planned lines", Roles("dispatcher, admin"), DATE, Body::Json("CargueReplace"), &[(200, J("CargueSheet"))]),
    op(Method::POST, "/api/v1/cargue/{seller_code}/check/", "Tick V (seller) or D (dispatcher)", Roles("seller (own, v), dispatcher (d), admin"), &[], Body::Json("CargueCheck"), &[(200, J("CargueLine"))]),
    op(Method::POST, "/api/v1/cargue/{seller_code}/close/", "Close the shift", Roles("dispatcher, admin"), &[], Body::Json("CargueClose"), &[(200, J("CargueSheet"))]),
    op(Method::GET, "/api/v1/cargue/{seller_code}/settlement/", "The day's settlement: live figures, the count once made", Roles("dispatcher, admin, that seller"), DATE, Body::None, &[(200, J("Settlement"))]),
    op(Method::GET, "/api/v1/reports/daily/", "Per seller and day: sales, voids, money by payment method", Roles("admin"), REPORT, Body::None, &[(200, J("DailyReport"))]),
    op(Method::GET, "/api/v1/reports/daily.csv", "The daily report's rows as CSV", Roles("admin"), REPORT, Body::None, &[(200, Reply::Csv)]),
    op(Method::GET, "/api/v1/cargue/{seller_code}/settlement/versions/", "Every version the day was settled with", Roles("dispatcher, admin"), DATE, Body::None, &[(200, J("SettlementVersions"))]),
    op(Method::POST, "/api/v1/cargue/{seller_code}/settle/", "Settle the day with the dispatcher's count (locks the sheet)", Roles("dispatcher, admin"), &[], Body::Json("SettleBody"), &[(200, J("Settlement"))]),
    op(Method::POST, "/api/v1/cargue/{seller_code}/reopen/", "Re-open a settled day, with a reason", Roles("admin"), &[], Body::Json("ReopenBody"), &[(200, J("Settlement"))]),
    op(Method::GET, "/api/v1/webhooks/", "List webhooks", Roles("admin"), PAGE, Body::None, &[(200, J("WebhookPage"))]),
    op(Method::POST, "/api/v1/webhooks/", "Register a webhook (the answer carries its secret, once)", Roles("admin"), &[], Body::Json("WebhookInput"), &[(201, J("Webhook"))]),
    op(Method::GET, "/api/v1/webhooks/{id}/", "One webhook", Roles("admin"), &[], Body::None, &[(200, J("Webhook"))]),
    op(Method::PUT, "/api/v1/webhooks/{id}/", "Change a webhook (partial: url, events, active)", Roles("admin"), &[], Body::Json("WebhookInput"), &[(200, J("Webhook"))]),
    op(Method::DELETE, "/api/v1/webhooks/{id}/", "Delete a webhook and its delivery history", Roles("admin"), &[], Body::None, &[(204, Reply::Empty)]),
    op(Method::POST, "/api/v1/webhooks/{id}/secret/", "Rotate a webhook's secret", Roles("admin"), &[], Body::None, &[(200, J("WebhookSecret"))]),
    op(Method::POST, "/api/v1/webhooks/{id}/test/", "Queue a ping delivery", Roles("admin"), &[], Body::None, &[(202, J("Delivery"))]),
    op(Method::GET, "/api/v1/webhooks/{id}/deliveries/", "A webhook's deliveries, newest first", Roles("admin"), PAGE, Body::None, &[(200, J("DeliveryPage"))]),
    op(Method::GET, "/api/v1/devices/{device_id}/", "A device's name", Roles("admin; seller (own device)"), &[], Body::None, &[(200, J("DeviceName"))]),
    op(Method::PUT, "/api/v1/devices/{device_id}/name/", "Name a device", Roles("admin"), &[], Body::Json("DeviceRename"), &[(200, J("DeviceName"))]),
    op(Method::GET, "/api/v1/business/", "The business profile receipts print", Roles("any"), &[], Body::None, &[(200, J("BusinessProfile"))]),
    op(Method::PUT, "/api/v1/business/", "Save the business profile", Roles("admin"), &[], Body::Json("BusinessProfile"), &[(200, J("BusinessProfile"))]),
    op(Method::GET, "/api/v1/sellers/", "Active sellers, by code", Roles("dispatcher, admin"), &[], Body::None, &[(200, J("SellerList"))]),
    op(Method::POST, "/api/v1/products/import/", "Import products from CSV; a known SKU updates", Roles("admin"), &[], Body::Csv, &[(200, J("ImportReport"))]),
    op(Method::POST, "/api/v1/customers/import/", "Import customers from CSV", Roles("admin"), &[], Body::Csv, &[(200, J("ImportReport"))]),
    op(Method::GET, "/api/v1/admin/overview/", "Dashboard overview: devices, today's sales, sync queue, series", Roles("admin"), &[], Body::None, &[(200, J("Overview"))]),
    op(Method::GET, "/api/v1/admin/sales/", "Every sale, newest first, by cursor, with the office's filters", Roles("admin"), OFFICE_FILTERS, Body::None, &[(200, J("OfficeSalePage"))]),
    op(Method::GET, "/api/v1/admin/sales/export.csv", "The filtered sales as CSV (at most 100,000 rows)", Roles("admin"), OFFICE_FILTERS, Body::None, &[(200, Reply::Csv)]),
    op(Method::GET, "/api/v1/admin/sales/{id}/history/", "A sale, its earlier versions and its log rows", Roles("admin"), &[], Body::None, &[(200, J("SaleHistory"))]),
    op(Method::GET, "/api/v1/sync/conflicts/", "Open conflicts, newest first", Roles("admin"), PAGE, Body::None, &[(200, J("ConflictPage"))]),
    op(Method::GET, "/api/v1/sync/conflicts/{sale_id}/", "A sale's open conflict with both copies", Roles("admin"), &[], Body::None, &[(200, J("ConflictDetail"))]),
    op(Method::GET, "/api/v1/sync/log/export.csv", "The sync log as CSV (log filters; at most 100,000 rows)", Roles("admin"), LOG_FILTERS, Body::None, &[(200, Reply::Csv)]),
    op(Method::GET, "/api/v1/openapi.json", "This document", Public, &[], Body::None, &[(200, Reply::Empty)]),
    op(Method::GET, "/health", "Liveness and database check", Public, &[], Body::None, &[(200, J("Health")), (503, J("Health"))]),
];

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// One query parameter, by the name the handlers read.
fn query_parameter(name: &str) -> Value {
    let (schema, description) = match name {
        "limit" => (
            json!({ "type": "integer", "minimum": 1 }),
            "Page size; default 50, above 200 clamped to 200",
        ),
        "offset" => (json!({ "type": "integer", "minimum": 0 }), "Rows to skip"),
        "date" => (
            json!({ "type": "string", "format": "date" }),
            "YYYY-MM-DD; default today in RUTA_TIMEZONE",
        ),
        "since" => (
            json!({ "type": "string" }),
            "Changes: the previous answer's cursor. Log: RFC 3339 lower bound",
        ),
        "until" => (json!({ "type": "string" }), "RFC 3339 upper bound"),
        "q" => (json!({ "type": "string" }), "Search text"),
        "seller" => (json!({ "type": "string" }), "A seller code"),
        "sync_status" => (
            json!({ "type": "string", "enum": ["pending", "error", "conflict"] }),
            "Only this status",
        ),
        _ => (json!({ "type": "string" }), ""),
    };
    json!({
        "name": name,
        "in": "query",
        "required": false,
        "description": description,
        "schema": schema,
    })
}

/// The `{name}` segments of a path, as path parameters.
fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            let schema = if name == "seller_code" {
                json!({ "type": "string", "pattern": "^[A-Z0-9_-]{1,16}$" })
            } else if name == "device_id" {
                json!({ "type": "string", "minLength": 1, "maxLength": 100 })
            } else {
                json!({ "type": "integer" })
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect()
}

fn reply(description: &str, reply: &Reply) -> Value {
    match reply {
        Reply::Json(schema) => json!({
            "description": description,
            "content": { "application/json": { "schema": schema_ref(schema) } },
        }),
        Reply::Csv => json!({
            "description": description,
            "content": { "text/csv": { "schema": { "type": "string" } } },
        }),
        Reply::Empty => json!({ "description": description }),
    }
}

fn operation(op: &Operation) -> Value {
    let mut responses = Map::new();
    for (status, answer) in op.replies {
        responses.insert(status.to_string(), reply("OK", answer));
    }
    responses.insert(
        "default".into(),
        reply(
            "An error in the contract's shape (400, 401, 403, 404, 409, 413, 415, 429, 5xx)",
            &Reply::Json("Error"),
        ),
    );
    let mut parameters = path_parameters(op.path);
    parameters.extend(op.query.iter().map(|name| query_parameter(name)));
    let mut doc = json!({
        "summary": op.summary,
        "parameters": parameters,
        "responses": responses,
    });
    match op.body {
        Body::None => {}
        Body::Json(schema) => {
            doc["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": schema_ref(schema) } },
            });
        }
        Body::Csv => {
            doc["requestBody"] = json!({
                "required": true,
                "content": { "text/csv": { "schema": { "type": "string" } } },
            });
        }
    }
    if let Roles(roles) = op.access {
        doc["description"] = json!(format!("Roles: {roles}"));
        doc["security"] = json!([{ "token": [] }]);
    } else {
        doc["security"] = json!([]);
    }
    doc
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let item = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method.as_str().to_ascii_lowercase()] = operation(op);
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Ruta API", "version": "1" },
        "paths": paths,
        "components": {
            "schemas": schemas::all(),
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Token <token>` (or `Bearer <token>`)",
                }
            }
        }
    })
}

pub async fn spec() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` in the document names a schema it defines.
    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        let defined = doc["components"]["schemas"]
            .as_object()
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(defined > 30, "{defined} schemas");
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap_or_default();
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "undefined schema {name}"
            );
        }
    }

    #[test]
    fn path_parameters_are_declared_with_types() {
        let params = path_parameters("/api/v1/cargue/{seller_code}/check/");
        assert_eq!(params.len(), 1);
        assert_eq!(params[0]["schema"]["type"], "string");
        let params = path_parameters("/api/v1/sync/conflicts/{sale_id}/");
        assert_eq!(params[0]["schema"]["type"], "integer");
    }
}
