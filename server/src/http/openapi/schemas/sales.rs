//! Sales, the sync upload and its answers.
use super::*;

pub(super) fn group() -> Vec<(&'static str, Value)> {
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
                    "void_reason": nullable("string"),
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
                    "void_reason": nullable("string"),
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
                    "void_reason": nullable("string"),
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
