//! Customers, products, the change feed and CSV imports.
use super::*;

pub(super) fn group() -> Vec<(&'static str, Value)> {
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
