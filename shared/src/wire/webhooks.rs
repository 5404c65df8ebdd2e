//! `/api/v1/webhooks/…`: subscriptions, their deliveries, and the secret
//! shown once.
use crate::webhook::{DeliveryStatus, WebhookEvent};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A webhook as the API shows it; `secret` only when it was just made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_delivery_status: Option<DeliveryStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// A delivery as the API shows it: `payload` is the JSON body it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// The delivery's UUID (also the body's `id` and `X-Ruta-Delivery`).
    pub id: String,
    pub webhook_id: i64,
    /// The event's wire name (a [`WebhookEvent`]'s text).
    pub event: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: String,
    pub last_attempt_at: Option<String>,
    pub next_attempt_at: Option<String>,
    #[serde(default)]
    pub payload: Value,
}

/// `POST /api/v1/webhooks/` and `PATCH /api/v1/webhooks/{id}/`: only the
/// fields sent change. Events stay text here so an unknown one is refused
/// with a message naming it, not a generic JSON error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// `POST /api/v1/webhooks/{id}/secret/`: the new secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretView {
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_listed_webhook_has_no_secret_key() {
        let text = json!({
            "id": 1, "url": "https://erp.example/hook", "events": ["sale_synced"],
            "active": true, "created_at": "2026-12-07T08:00:00.000Z",
            "updated_at": "2026-12-07T08:00:00.000Z", "last_delivery_status": "failed"
        });
        let hook: WebhookView = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(hook.events, vec![WebhookEvent::SaleSynced]);
        assert_eq!(hook.last_delivery_status, Some(DeliveryStatus::Failed));
        assert_eq!(serde_json::to_value(&hook).unwrap(), text);
    }

    #[test]
    fn a_patch_sends_only_what_changed() {
        let patch = WebhookInput {
            active: Some(false),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"active": false})
        );
    }
}
