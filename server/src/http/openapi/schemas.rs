//! The bodies of the API as JSON Schema (OpenAPI 3.1 components). They are
//! written against the contract (`docs/api.md`) and held to what the server
//! really sends by schemathesis (`make schemathesis`, part of `make test`),
//! which checks every response against them as every role.
use serde_json::{json, Value};

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

fn auth() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Login",
            json!({
                "type": "object",
                "required": ["username", "password"],
                "properties": {
                    "username": { "type": "string" },
                    "password": { "type": "string" },
                    "device_id": nullable("string"),
                }
            }),
        ),
        (
            "User",
            json!({
                "type": "object",
                "required": ["id", "username", "role"],
                "properties": {
                    "id": { "type": "integer" },
                    "username": { "type": "string" },
                    "role": { "type": "string", "enum": ["seller", "dispatcher", "admin"] },
                    "seller_code": nullable("string"),
                }
            }),
        ),
        (
            "TokenAnswer",
            json!({
                "type": "object",
                "required": ["token", "user"],
                "properties": { "token": { "type": "string" }, "user": reference("User") }
            }),
        ),
        (
            "NewUser",
            json!({
                "type": "object",
                "required": ["username", "password", "role"],
                "properties": {
                    "username": { "type": "string" },
                    "password": { "type": "string" },
                    "role": { "type": "string", "enum": ["seller", "dispatcher", "admin"] },
                    "seller_code": nullable("string"),
                }
            }),
        ),
        ("UserPage", paged("User")),
        (
            "PasswordReset",
            json!({
                "type": "object",
                "required": ["password"],
                "properties": { "password": { "type": "string" } }
            }),
        ),
        (
            "Token",
            json!({
                "type": "object",
                "required": ["id", "created_at", "revoked"],
                "properties": {
                    "id": { "type": "integer" },
                    "device_id": nullable("string"),
                    "created_at": { "type": "string" },
                    "last_used_at": nullable("string"),
                    "revoked": { "type": "boolean" },
                }
            }),
        ),
        ("TokenList", list_of("Token")),
        (
            "Seller",
            json!({
                "type": "object",
                "required": ["seller_code", "username"],
                "properties": {
                    "seller_code": { "type": "string" },
                    "username": { "type": "string" },
                }
            }),
        ),
        ("SellerList", list_of("Seller")),
    ]
}

fn catalog() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Customer",
            json!({
                "type": "object",
                "required": ["id", "name", "active", "version", "updated_at"],
                "properties": {
                    "id": { "type": "integer" },
                    "name": { "type": "string" },
                    "business_name": nullable("string"),
                    "phone": nullable("string"),
                    "address": nullable("string"),
                    "route": nullable("string"),
                    "active": { "type": "boolean" },
                    "version": { "type": "integer", "minimum": 1 },
                    "updated_at": { "type": "string" },
                }
            }),
        ),
        (
            "CustomerInput",
            json!({
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": { "type": "string" },
                    "business_name": nullable("string"),
                    "phone": nullable("string"),
                    "address": nullable("string"),
                    "route": nullable("string"),
                    "active": { "type": "boolean" },
                    "version": { "type": "integer", "description": "the version the edit started from; a stale one is settled by the entity's strategy (409 when refused)" },
                    "edited_at": { "type": "string", "description": "when the edit was made (RFC 3339), for last_write_wins" },
                }
            }),
        ),
        ("CustomerPage", paged("Customer")),
        (
            "Product",
            json!({
                "type": "object",
                "required": ["id", "sku", "name", "unit_price", "tax_percentage", "active", "version", "updated_at"],
                "properties": {
                    "id": { "type": "integer" },
                    "sku": { "type": "string" },
                    "name": { "type": "string" },
                    "unit_price": decimal_out(),
                    "tax_percentage": decimal_out(),
                    "active": { "type": "boolean" },
                    "version": { "type": "integer", "minimum": 1 },
                    "updated_at": { "type": "string" },
                }
            }),
        ),
        (
            "ProductInput",
            json!({
                "type": "object",
                "required": ["sku", "name", "unit_price"],
                "properties": {
                    "sku": { "type": "string" },
                    "name": { "type": "string" },
                    "unit_price": decimal_in(),
                    "tax_percentage": decimal_in(),
                    "active": { "type": "boolean" },
                    "version": { "type": "integer", "description": "the version the edit started from; a stale one is settled by the entity's strategy (409 when refused)" },
                    "edited_at": { "type": "string", "description": "when the edit was made (RFC 3339), for last_write_wins" },
                }
            }),
        ),
        ("ProductPage", paged("Product")),
        (
            "CatalogConflict",
            json!({
                "description": "A catalog edit from a stale version that the strategy refuses; nothing was written.",
                "type": "object",
                "required": ["error", "message", "id", "conflict"],
                "properties": {
                    "error": { "type": "string", "enum": ["CONFLICT"] },
                    "message": { "type": "string" },
                    "id": { "type": "integer" },
                    "conflict": {
                        "type": "object",
                        "required": ["server_version", "client_version", "fields", "server", "client"],
                        "properties": {
                            "server_version": { "type": "integer" },
                            "client_version": { "type": "integer" },
                            "fields": { "type": "array", "items": { "type": "string" } },
                            "server": { "type": "object" },
                            "client": { "type": "object" },
                        }
                    }
                }
            }),
        ),
        (
            "CatalogChanges",
            json!({
                "type": "object",
                "required": ["customers", "products", "cursor", "has_more"],
                "properties": {
                    "customers": list_of("Customer"),
                    "products": list_of("Product"),
                    "cursor": { "type": "string" },
                    "has_more": { "type": "boolean" },
                }
            }),
        ),
        (
            "ImportReport",
            json!({
                "type": "object",
                "required": ["imported", "created", "updated", "rejected"],
                "properties": {
                    "imported": { "type": "integer", "minimum": 0 },
                    "created": { "type": "integer", "minimum": 0 },
                    "updated": { "type": "integer", "minimum": 0 },
                    "rejected": { "type": "array", "items": { "type": "object" } },
                }
            }),
        ),
    ]
}

fn sales() -> Vec<(&'static str, Value)> {
    let status = json!({ "type": "string", "enum": ["draft", "confirmed", "cancelled"] });
    let payment = json!({ "type": "string", "enum": ["cash", "transfer", "card", "credit"] });
    let sync_status = json!({
        "type": "string",
        "enum": ["pending", "synced", "error", "conflict"]
    });
    vec![
        (
            "SaleDraft",
            json!({
                "description": "A sale as a device uploads it. Shape errors are per-sale results, not 400s.",
                "type": "object",
                "properties": {
                    "local_id": { "type": "string", "format": "uuid" },
                    "customer_id": { "type": "integer" },
                    "status": status,
                    "device_id": nullable("string"),
                    "payment_method": payment,
                    "created_at": { "type": "string", "format": "date-time" },
                    "updated_at": { "type": "string", "format": "date-time", "description": "When the device last edited this copy; what last_write_wins compares" },
                    "items": { "type": "array", "items": reference("SaleItemDraft") },
                    "returns": { "type": "array", "items": reference("SaleReturn") },
                    "notes": nullable("string"),
                    "version": { "type": "integer", "minimum": 1 },
                }
            }),
        ),
        (
            "SaleItemDraft",
            json!({
                "type": "object",
                "properties": {
                    "product_id": { "type": "integer" },
                    "quantity": decimal_in(),
                    "unit_price": decimal_in(),
                    "discount_type": { "type": "string", "enum": ["none", "percentage", "fixed"] },
                    "discount_value": decimal_in(),
                    "tax_percentage": decimal_in(),
                }
            }),
        ),
        (
            "SaleReturn",
            json!({
                "type": "object",
                "properties": {
                    "product_id": { "type": "integer" },
                    "quantity": decimal_in(),
                    "reason": { "type": "string" },
                }
            }),
        ),
        (
            "Sale",
            json!({
                "description": "A sale stored with `sync_status: error` because its content failed the checks (kept for a retry) has null `status`, `payment_method`, `payment_status`, totals and possibly `customer_id`.",
                "type": "object",
                "required": ["id", "local_id", "status", "sync_status", "version", "items", "total"],
                "properties": {
                    "id": { "type": "integer" },
                    "number": nullable("string"),
                    "local_id": { "type": "string" },
                    "seller_code": nullable("string"),
                    "device_id": nullable("string"),
                    "customer_id": nullable("integer"),
                    "customer_name": nullable("string"),
                    "status": or_null(status),
                    "payment_method": or_null(payment),
                    "payment_status": nullable("string"),
                    "sync_status": sync_status,
                    "created_at": { "type": "string" },
                    "server_timestamp": { "type": "string" },
                    "updated_at": { "type": "string" },
                    "version": { "type": "integer", "minimum": 1 },
                    "items": { "type": "array", "items": reference("SaleItem") },
                    "returns": { "type": "array" },
                    "notes": nullable("string"),
                    "subtotal": or_null(decimal_out()),
                    "discount_total": or_null(decimal_out()),
                    "tax_total": or_null(decimal_out()),
                    "total": or_null(decimal_out()),
                }
            }),
        ),
        (
            "SaleItem",
            json!({
                "type": "object",
                "required": ["product_id", "quantity", "unit_price", "line_total"],
                "properties": {
                    "product_id": { "type": "integer" },
                    "product_name": nullable("string"),
                    "quantity": decimal_out(),
                    "unit_price": decimal_out(),
                    "discount_type": { "type": "string" },
                    "discount_value": decimal_out(),
                    "tax_percentage": decimal_out(),
                    "line_subtotal": decimal_out(),
                    "line_discount": decimal_out(),
                    "line_tax": decimal_out(),
                    "line_total": decimal_out(),
                }
            }),
        ),
        ("SalePage", paged("Sale")),
        (
            "SingleSaleAnswer",
            json!({
                "description": "201 the stored sale; 200 a duplicate (`warning`) or an accepted edit (the sale); 400 a failed check (`error`, `sale_id`); 409 a conflict (`error: CONFLICT`).",
                "type": "object",
                "anyOf": [
                    { "required": ["id", "local_id"] },
                    { "required": ["warning"] },
                    { "required": ["error"] },
                    { "required": ["detail"] }
                ]
            }),
        ),
        (
            "UploadBody",
            json!({
                "type": "object",
                "required": ["sales"],
                "properties": {
                    "sales": { "type": "array", "maxItems": 500, "items": reference("SaleDraft") }
                }
            }),
        ),
        (
            "UploadResult",
            json!({
                "type": "object",
                "required": ["local_id", "status"],
                "properties": {
                    "local_id": { "type": "string" },
                    "status": { "type": "string", "enum": ["success", "error", "conflict"] },
                    "sale_id": nullable("integer"),
                    "sale_number": nullable("string"),
                    "message": nullable("string"),
                    "error": nullable("string"),
                    "duplicate": { "type": "boolean" },
                    "version": { "type": "integer" },
                    "resolved_by": { "type": "string" },
                    "conflict": { "type": "object" },
                }
            }),
        ),
        (
            "UploadAnswer",
            json!({
                "type": "object",
                "required": ["results", "summary"],
                "properties": {
                    "results": list_of("UploadResult"),
                    "summary": {
                        "type": "object",
                        "required": ["total", "successful", "duplicates", "conflicts", "errors"],
                        "properties": {
                            "total": { "type": "integer", "minimum": 0 },
                            "successful": { "type": "integer", "minimum": 0 },
                            "duplicates": { "type": "integer", "minimum": 0 },
                            "conflicts": { "type": "integer", "minimum": 0 },
                            "errors": { "type": "integer", "minimum": 0 },
                        }
                    }
                }
            }),
        ),
        (
            "UploadRefusal",
            json!({ "anyOf": [reference("UploadAnswer"), reference("Error")] }),
        ),
        (
            "PendingSale",
            json!({
                "type": "object",
                "required": ["id", "local_id", "sync_status", "fiscal_status"],
                "properties": {
                    "id": { "type": "integer" },
                    "number": nullable("string"),
                    "local_id": { "type": "string" },
                    "status": nullable("string"),
                    "payment_status": nullable("string"),
                    "customer": nullable("integer"),
                    "customer_name": nullable("string"),
                    "fiscal_status": { "type": "string", "enum": ["not_required"] },
                    "total": nullable("string"),
                    "created_at": { "type": "string" },
                    "sync_status": sync_status,
                    "error": nullable("string"),
                    "seller_code": nullable("string"),
                    "device_id": nullable("string"),
                    "sync_attempt_count": { "type": "integer", "minimum": 0 },
                    "sync_last_attempt": nullable("string"),
                    "next_attempt_at": nullable("string"),
                }
            }),
        ),
        (
            "PendingPage",
            json!({
                "type": "object",
                "required": ["count", "limit", "results"],
                "properties": {
                    "count": { "type": "integer", "minimum": 0 },
                    "limit": { "type": "integer", "minimum": 1 },
                    "results": list_of("PendingSale"),
                }
            }),
        ),
        (
            "RetryBody",
            json!({
                "type": "object",
                "required": ["sale_ids"],
                "properties": { "sale_ids": { "type": "array", "items": { "type": "integer" } } }
            }),
        ),
        (
            "RetryAnswer",
            json!({
                "type": "object",
                "required": ["message", "processed", "results"],
                "properties": {
                    "message": { "type": "string" },
                    "processed": { "type": "integer", "minimum": 0 },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sale_id", "status"],
                            "properties": {
                                "sale_id": { "type": "integer" },
                                "sale_number": nullable("string"),
                                "status": { "type": "string", "enum": ["queued", "already_synced", "not_found"] },
                                "attempt": nullable("integer"),
                            }
                        }
                    }
                }
            }),
        ),
        (
            "ResolveBody",
            json!({
                "type": "object",
                "required": ["sale_id", "resolution"],
                "properties": {
                    "sale_id": { "type": "integer" },
                    "resolution": { "type": "string", "enum": ["server_wins", "client_wins", "merge", "manual"] },
                    "client_data": reference("SaleDraft"),
                    "notes": nullable("string"),
                }
            }),
        ),
        (
            "ResolveAnswer",
            json!({
                "type": "object",
                "required": ["message", "sale"],
                "properties": {
                    "message": { "type": "string" },
                    "sale": {
                        "type": "object",
                        "required": ["id", "sync_status", "version"],
                        "properties": {
                            "id": { "type": "integer" },
                            "number": nullable("string"),
                            "sync_status": sync_status,
                            "sync_succeeded_at": nullable("string"),
                            "version": { "type": "integer" },
                            "conflict_resolution": nullable("string"),
                        }
                    }
                }
            }),
        ),
        (
            "SyncStatus",
            json!({
                "type": "object",
                "required": ["sale_id", "local_id", "sync_status", "version"],
                "properties": {
                    "sale_id": { "type": "integer" },
                    "sale_number": nullable("string"),
                    "local_id": { "type": "string" },
                    "sync_status": sync_status,
                    "sync_succeeded_at": nullable("string"),
                    "sync_last_attempt": nullable("string"),
                    "sync_attempt_count": { "type": "integer", "minimum": 0 },
                    "next_attempt_at": nullable("string"),
                    "version": { "type": "integer" },
                    "conflict_resolution": nullable("string"),
                    "error": nullable("string"),
                }
            }),
        ),
    ]
}

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

fn sync_admin() -> Vec<(&'static str, Value)> {
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

fn cargue() -> Vec<(&'static str, Value)> {
    vec![
        (
            "CargueLine",
            json!({
                "type": "object",
                "required": ["product_id", "quantity", "v", "d", "version"],
                "properties": {
                    "product_id": { "type": "integer" },
                    "product": { "type": "string" },
                    "quantity": decimal_out(),
                    "v": { "type": "boolean" },
                    "d": { "type": "boolean" },
                    "version": { "type": "integer", "minimum": 1 },
                    "updated_at": { "type": "string" },
                }
            }),
        ),
        (
            "CargueSheet",
            json!({
                "type": "object",
                "required": ["seller_code", "date", "day", "closed", "seq", "lines"],
                "properties": {
                    "seller_code": { "type": "string" },
                    "date": { "type": "string", "format": "date" },
                    "day": { "type": "string" },
                    "closed": { "type": "boolean" },
                    "seq": { "type": "integer", "minimum": 0 },
                    "lines": list_of("CargueLine"),
                }
            }),
        ),
        (
            "CargueReplace",
            json!({
                "type": "object",
                "required": ["lines"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["product_id", "quantity"],
                            "properties": { "product_id": { "type": "integer" }, "quantity": decimal_in() }
                        }
                    }
                }
            }),
        ),
        (
            "CargueCheck",
            json!({
                "type": "object",
                "required": ["product_id"],
                "properties": {
                    "date": { "type": "string", "format": "date" },
                    "product_id": { "type": "integer" },
                    "v": { "type": "boolean" },
                    "d": { "type": "boolean" },
                }
            }),
        ),
        (
            "CargueClose",
            json!({
                "type": "object",
                "properties": { "date": { "type": "string", "format": "date" } }
            }),
        ),
    ]
}

fn webhooks() -> Vec<(&'static str, Value)> {
    let events = json!({ "type": "array", "items": { "type": "string" } });
    vec![
        (
            "Webhook",
            json!({
                "type": "object",
                "required": ["id", "url", "events", "active", "created_at", "updated_at"],
                "properties": {
                    "id": { "type": "integer" },
                    "url": { "type": "string" },
                    "events": events,
                    "active": { "type": "boolean" },
                    "created_at": { "type": "string" },
                    "updated_at": { "type": "string" },
                    "last_delivery_status": nullable("string"),
                    "secret": { "type": "string" },
                }
            }),
        ),
        ("WebhookPage", paged("Webhook")),
        (
            "WebhookInput",
            json!({
                "type": "object",
                "properties": {
                    "url": { "type": "string", "format": "uri" },
                    "events": events,
                    "active": { "type": "boolean" },
                }
            }),
        ),
        (
            "WebhookSecret",
            json!({
                "type": "object",
                "required": ["secret"],
                "properties": { "secret": { "type": "string" } }
            }),
        ),
        (
            "Delivery",
            json!({
                "type": "object",
                "required": ["id", "webhook_id", "event", "status", "attempts", "created_at"],
                "properties": {
                    "id": { "type": "string" },
                    "webhook_id": { "type": "integer" },
                    "event": { "type": "string" },
                    "status": { "type": "string" },
                    "attempts": { "type": "integer", "minimum": 0 },
                    "response_status": nullable("integer"),
                    "error": nullable("string"),
                    "created_at": { "type": "string" },
                    "last_attempt_at": nullable("string"),
                    "next_attempt_at": nullable("string"),
                    "payload": {},
                }
            }),
        ),
        ("DeliveryPage", paged("Delivery")),
    ]
}

/// Every named schema, for `components.schemas`.
pub fn all() -> Value {
    let groups = [
        errors(),
        auth(),
        catalog(),
        sales(),
        sync_admin(),
        cargue(),
        webhooks(),
    ];
    let map: serde_json::Map<String, Value> = groups
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.to_owned(), schema))
        .collect();
    Value::Object(map)
}
