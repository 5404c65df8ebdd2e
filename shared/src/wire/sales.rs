//! The sync endpoints' own bodies beside the upload (`crate::sync`): one
//! sale's sync status, a conflict's resolution, and the single-sale
//! answers that are not a sale view.
use crate::conflict::{ConflictInfo, Resolution};
use crate::sale::SyncStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /api/v1/sales/{id}/sync/status/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatusView {
    pub sale_id: i64,
    pub sale_number: Option<String>,
    pub local_id: String,
    pub sync_status: SyncStatus,
    pub sync_succeeded_at: Option<String>,
    pub sync_last_attempt: Option<String>,
    pub sync_attempt_count: i64,
    pub next_attempt_at: Option<String>,
    pub version: i64,
    pub conflict_resolution: Option<String>,
    pub error: Option<String>,
}

/// `POST /api/v1/sales/{id}/void/`: why the sale is voided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRequest {
    pub reason: String,
}

/// `POST /api/v1/sales/sync/resolve/`. `client_data` is a whole sale in
/// upload shape, for `client_wins`/`manual` with the phone's copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveRequest {
    pub sale_id: i64,
    pub resolution: Resolution,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The sale after a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedSale {
    pub id: i64,
    pub number: Option<String>,
    pub sync_status: SyncStatus,
    pub sync_succeeded_at: String,
    pub version: i64,
    pub conflict_resolution: String,
}

/// The resolve answer: `"Conflict resolved with <resolution>"` and the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveResponse {
    pub message: String,
    pub sale: ResolvedSale,
}

/// `POST /api/v1/sales/` with a `local_id` already stored: the sale is not
/// stored twice; this names the one that was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlreadyStored {
    pub warning: String,
    pub id: i64,
    pub local_id: String,
    pub number: Option<String>,
    pub timestamp: String,
}

/// The 409 of `POST /api/v1/sales/` when the server's copy moved on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleConflict {
    pub error: String,
    pub message: String,
    pub local_id: String,
    pub sale_id: Option<i64>,
    pub conflict: Option<ConflictInfo>,
}

/// The 400 of `POST /api/v1/sales/` when the sale did not validate; the
/// upload is kept (`sale_id`) when it was far enough along to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleRefused {
    pub error: String,
    pub local_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_resolution_request_leaves_out_what_it_does_not_carry() {
        let req = ResolveRequest {
            sale_id: 3,
            resolution: Resolution::ServerWins,
            client_data: None,
            notes: None,
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"sale_id": 3, "resolution": "server_wins"})
        );
    }

    #[test]
    fn a_status_reads_its_typed_sync_status() {
        let text = json!({
            "sale_id": 3, "sale_number": "VTA-000003", "local_id": "L",
            "sync_status": "conflict", "sync_succeeded_at": null,
            "sync_last_attempt": "2026-12-07T08:00:00.000Z", "sync_attempt_count": 2,
            "next_attempt_at": null, "version": 2, "conflict_resolution": null, "error": null
        });
        let view: SyncStatusView = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(view.sync_status, SyncStatus::Conflict);
        assert_eq!(serde_json::to_value(&view).unwrap(), text);
    }

    #[test]
    fn a_refusal_names_the_kept_upload_only_when_there_is_one() {
        let refused = SaleRefused {
            error: "Item #1: quantity debe ser mayor a 0".into(),
            local_id: "L".into(),
            sale_id: None,
        };
        assert_eq!(
            serde_json::to_value(&refused).unwrap(),
            json!({"error": "Item #1: quantity debe ser mayor a 0", "local_id": "L"})
        );
    }
}
