//! The truck-loading sheet and its stream.
use super::*;

pub(super) fn group() -> Vec<(&'static str, Value)> {
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
