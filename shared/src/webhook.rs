//! Webhooks' wire names: the events an admin may subscribe a URL to, the
//! `ping` a test sends, and where a delivery stands.
use crate::sale::wire_enum;

wire_enum!(
    /// The `event` of a delivery. Every one but `ping` can be subscribed to.
    WebhookEvent {
        SaleSynced = "sale_synced",
        SaleError = "sale_error",
        ConflictDetected = "conflict_detected",
        Ping = "ping",
    }
);

wire_enum!(
    /// Where a delivery stands: waiting for (another) attempt, answered
    /// with a 2xx, or out of attempts.
    DeliveryStatus { Pending = "pending", Delivered = "delivered", Failed = "failed" }
);

impl WebhookEvent {
    /// The events a webhook may subscribe to (`ping` is only sent on request).
    pub const SUBSCRIBABLE: &'static [WebhookEvent] = &[
        WebhookEvent::SaleSynced,
        WebhookEvent::SaleError,
        WebhookEvent::ConflictDetected,
    ];

    /// A subscribable event by its wire name.
    pub fn parse_subscribable(text: &str) -> Option<Self> {
        Self::parse(text).filter(|e| Self::SUBSCRIBABLE.contains(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert_eq!(WebhookEvent::SaleSynced.as_str(), "sale_synced");
        assert_eq!(
            WebhookEvent::parse_subscribable("conflict_detected"),
            Some(WebhookEvent::ConflictDetected)
        );
        assert_eq!(WebhookEvent::parse_subscribable("ping"), None);
        assert_eq!(WebhookEvent::parse_subscribable("sale_deleted"), None);
        assert_eq!(
            serde_json::to_string(&DeliveryStatus::Delivered)
                .ok()
                .as_deref(),
            Some("\"delivered\"")
        );
    }
}
