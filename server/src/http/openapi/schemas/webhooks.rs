//! Webhooks and their deliveries.
use super::*;

pub(super) fn group() -> Vec<(&'static str, Value)> {
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
