//! The bodies of the API as JSON Schema (OpenAPI 3.1 components). They are
//! written against the contract (`docs/api.md`) and held to what the server
//! really sends by schemathesis (`make schemathesis`, part of `make test`),
//! which checks every response against them as every role.
use serde_json::{json, Value};

mod auth;
mod cargue;
mod catalog;
mod sales;
mod settlement;
mod sync_admin;
mod webhooks;

fn nullable(kind: &str) -> Value {
    json!({ "type": [kind, "null"] })
}

/// `schema`, or null (an enum's own `type` would refuse the null).
fn or_null(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(name: &str) -> Value {
    json!({ "type": "array", "items": reference(name) })
}

/// The contract's list page: `{"count", "limit", "offset", "results"}`.
fn paged(item: &str) -> Value {
    json!({
        "type": "object",
        "required": ["count", "limit", "offset", "results"],
        "properties": {
            "count": { "type": "integer", "minimum": 0 },
            "limit": { "type": "integer", "minimum": 1 },
            "offset": { "type": "integer", "minimum": 0 },
            "results": list_of(item),
        }
    })
}

/// A decimal as text (`"25.50"`); JSON numbers are accepted on input.
fn decimal_in() -> Value {
    json!({ "anyOf": [{ "type": "string" }, { "type": "number" }] })
}

fn decimal_out() -> Value {
    json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
}

fn errors() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Error",
            json!({
                "description": "`{\"detail\"}` (401, 403, 404, 405, 409, 413, 415, 429, 5xx) or `{\"error\", \"field\"}` (400)",
                "type": "object",
                "properties": {
                    "detail": { "type": "string" },
                    "error": { "type": "string" },
                    "field": nullable("string"),
                },
                "anyOf": [{ "required": ["detail"] }, { "required": ["error"] }]
            }),
        ),
        (
            "Health",
            json!({
                "type": "object",
                "required": ["status", "db"],
                "properties": {
                    "status": { "type": "string" },
                    "db": { "type": "string", "enum": ["ok", "error"] },
                }
            }),
        ),
    ]
}

/// Every named schema, for `components.schemas`.
pub fn all() -> Value {
    let groups = [
        errors(),
        auth::group(),
        catalog::group(),
        sales::group(),
        sync_admin::group(),
        cargue::group(),
        settlement::group(),
        webhooks::group(),
    ];
    let map: serde_json::Map<String, Value> = groups
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.to_owned(), schema))
        .collect();
    Value::Object(map)
}
