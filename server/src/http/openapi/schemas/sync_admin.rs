//! Conflicts, the sync settings, the log and the dashboard.
use super::*;

fn conflict_summary() -> Value {
    json!({
        "type": "object",
        "required": ["id", "sale_id", "local_id", "fields", "server_version", "client_version", "created_at"],
        "properties": {
            "id": { "type": "integer" },
            "sale_id": { "type": "integer" },
            "sale_number": nullable("string"),
            "local_id": { "type": "string" },
            "seller_code": nullable("string"),
            "device_id": nullable("string"),
            "customer_name": nullable("string"),
            "fields": { "type": "array", "items": { "type": "string" } },
            "server_version": { "type": "integer" },
            "client_version": { "type": "integer" },
            "created_at": { "type": "string" },
        }
    })
}

/// The summary's fields and both copies of the sale.
fn conflict_detail() -> Value {
    let mut detail = conflict_summary();
    detail["properties"]["server"] = json!({ "type": "object" });
    detail["properties"]["client"] = json!({ "type": "object" });
    if let Some(required) = detail["required"].as_array_mut() {
        required.extend([json!("server"), json!("client")]);
    }
    detail
}

pub(super) fn group() -> Vec<(&'static str, Value)> {
    let strategy = json!({
        "type": "string",
        "enum": ["server_wins", "client_wins", "last_write_wins", "merge", "manual"]
    });
    let entity = json!({
        "type": "object",
        "required": ["strategy"],
        "properties": { "strategy": strategy, "critical": { "type": "boolean" } }
    });
    vec![
        (
            "SyncConfig",
            json!({
                "type": "object",
                "properties": { "sale": entity, "customer": entity, "product": entity }
            }),
        ),
        (
            "SyncRate",
            json!({
                "type": "object",
                "required": ["rate"],
                "properties": { "rate": { "type": "string", "examples": ["50/hour", "off"] } }
            }),
        ),
        (
            "LogRow",
            json!({
                "type": "object",
                "required": ["id", "action", "success", "timestamp", "chain", "hash"],
                "properties": {
                    "id": { "type": "integer" },
                    "action": { "type": "string" },
                    "user_id": nullable("integer"),
                    "username": nullable("string"),
                    "seller_code": nullable("string"),
                    "device_id": nullable("string"),
                    "ip": nullable("string"),
                    "user_agent": nullable("string"),
                    "sale_id": nullable("integer"),
                    "local_id": nullable("string"),
                    "success": { "type": "boolean" },
                    "error": nullable("string"),
                    "timestamp": { "type": "string" },
                    "chain": { "type": "string" },
                    "prev_hash": nullable("string"),
                    "hash": { "type": "string" },
                    "detail": {
                        "description": "What an admin or security action changed (docs/api.md, \"Audit log\"); absent on sale rows",
                        "type": "object"
                    },
                }
            }),
        ),
        (
            "LogPage",
            json!({
                "type": "object",
                "required": ["results", "next_cursor"],
                "properties": {
                    "results": list_of("LogRow"),
                    "next_cursor": nullable("string"),
                }
            }),
        ),
        (
            "Verification",
            json!({
                "type": "object",
                "required": ["ok", "rows"],
                "properties": {
                    "ok": { "type": "boolean" },
                    "rows": { "type": "integer", "minimum": 0 },
                    "chain": { "type": "string" },
                    "first_bad_row": { "type": "integer" },
                }
            }),
        ),
        ("ConflictSummary", conflict_summary()),
        ("ConflictPage", paged("ConflictSummary")),
        ("ConflictDetail", conflict_detail()),
        (
            "Overview",
            json!({
                "type": "object",
                "required": ["generated_at", "date", "timezone", "devices_total", "devices_online", "devices", "sales_today", "sync", "retry_queue"],
                "properties": {
                    "generated_at": { "type": "string" },
                    "date": { "type": "string" },
                    "timezone": { "type": "string" },
                    "devices_total": { "type": "integer", "minimum": 0 },
                    "devices_online": { "type": "integer", "minimum": 0 },
                    "devices": { "type": "array", "items": { "type": "object" } },
                    "sales_today": {
                        "type": "object",
                        "required": ["count", "amount"],
                        "properties": { "count": { "type": "integer" }, "amount": decimal_out() }
                    },
                    "sync": {
                        "type": "object",
                        "required": ["pending", "error", "conflict"],
                        "properties": {
                            "pending": { "type": "integer" },
                            "error": { "type": "integer" },
                            "conflict": { "type": "integer" },
                        }
                    },
                    "retry_queue": { "type": "integer", "minimum": 0 },
                    "sales_per_hour": { "type": "array", "items": { "type": "integer" } },
                    "uploads_per_device": { "type": "array", "items": { "type": "object" } },
                    "latency": { "type": "array", "items": { "type": "object" } },
                    "errors_per_day": { "type": "array", "items": { "type": "object" } },
                }
            }),
        ),
    ]
}
