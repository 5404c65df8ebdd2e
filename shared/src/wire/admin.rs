//! The admin's sync tools: the audit log page and its check, the retry
//! request and answer, and a CSV import's report.
use crate::sync::RetryStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A row of `GET /api/v1/sync/log/` (`docs/api.md`, "Audit log").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    pub chain: String,
    pub action: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub sale_id: Option<i64>,
    pub local_id: Option<String>,
    pub success: bool,
    pub error: Option<String>,
    pub timestamp: String,
    pub prev_hash: String,
    pub hash: String,
    /// What an admin or security action changed; absent on sale rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Value>,
}

/// `GET /api/v1/sync/log/verify/`: every chain recomputed from its first row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub ok: bool,
    pub rows: i64,
    /// The chain that broke, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_bad_row: Option<i64>,
}

/// `POST /api/v1/sales/sync/retry/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryRequest {
    pub sale_ids: Vec<i64>,
}

/// One sale of a retry answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryItem {
    pub sale_id: i64,
    pub sale_number: Option<String>,
    pub status: RetryStatus,
    /// The attempt it was queued for (queued sales only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<i64>,
}

/// The retry answer: `processed` counts the sales queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryResponse {
    pub message: String,
    pub processed: usize,
    pub results: Vec<RetryItem>,
}

/// A CSV row the import refused, by its line in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    pub row: u64,
    pub errors: Vec<String>,
}

/// The answer of a customers' or products' CSV import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: usize,
    pub created: usize,
    pub updated: usize,
    pub rejected: Vec<RejectedRow>,
}

/// `GET`/`PUT /api/v1/sync/rate/`: the sync rate limit as text
/// (`50/hour`, `1000/minute`, `off`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRate {
    pub rate: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sale_rows_log_entry_has_no_detail_key() {
        let row = LogEntry {
            id: 1,
            chain: "global".into(),
            action: "upload".into(),
            user_id: Some(3),
            username: Some("ana".into()),
            seller_code: Some("ID1".into()),
            device_id: Some("tab".into()),
            ip: None,
            user_agent: None,
            sale_id: Some(9),
            local_id: None,
            success: true,
            error: None,
            timestamp: "2026-12-07T08:00:00.000Z".into(),
            prev_hash: "0".repeat(64),
            hash: "a".repeat(64),
            detail: None,
        };
        let value = serde_json::to_value(&row).unwrap();
        assert!(value.get("detail").is_none());
        assert_eq!(value["success"], json!(true));
        let back: LogEntry = serde_json::from_value(value).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn a_broken_chain_names_itself_and_a_sound_one_does_not() {
        let sound = Verification {
            ok: true,
            rows: 12,
            chain: None,
            first_bad_row: None,
        };
        assert_eq!(
            serde_json::to_value(&sound).unwrap(),
            json!({"ok": true, "rows": 12})
        );
        let broken: Verification = serde_json::from_value(
            json!({"ok": false, "rows": 12, "chain": "global", "first_bad_row": 4}),
        )
        .unwrap();
        assert_eq!(broken.first_bad_row, Some(4));
    }

    #[test]
    fn a_retry_answer_reads_as_the_contract_writes_it() {
        let text = json!({
            "message": "Retry queued successfully", "processed": 1,
            "results": [
                {"sale_id": 4, "sale_number": null, "status": "queued", "attempt": 2},
                {"sale_id": 5, "sale_number": "VTA-000005", "status": "already_synced"}
            ]
        });
        let answer: RetryResponse = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(answer.results[1].status, RetryStatus::AlreadySynced);
        assert_eq!(serde_json::to_value(&answer).unwrap(), text);
    }
}
