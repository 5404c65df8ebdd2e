//! Users, tokens and sessions.
use super::*;

pub(super) fn group() -> Vec<(&'static str, Value)> {
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
