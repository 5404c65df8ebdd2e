//! Per-sale upload results and their summary, as the contract shapes them.
use crate::conflict::{ConflictInfo, Strategy};
use crate::sale::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(ResultStatus { Success = "success", Error = "error", Conflict = "conflict" });
wire_enum!(RetryStatus { Queued = "queued", AlreadySynced = "already_synced", NotFound = "not_found" });

pub const DUPLICATE_MESSAGE: &str = "Sale already synced";
pub const MAX_SALES_PER_UPLOAD: usize = 500;
/// The header a phone sends with its requests: how many sales its outbox
/// still holds. The day's settlement shows it per device.
pub const OUTBOX_HEADER: &str = "x-ruta-outbox";
/// Larger outbox counts are not believed (and not stored).
pub const MAX_REPORTED_OUTBOX: u32 = 100_000;

/// `POST /sales/sync/upload/`'s envelope. The phone sends its wire sales;
/// the server reads each one as a `Value` first, so that a malformed sale
/// is stored and answered on its own rather than failing the batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadRequest<S> {
    pub sales: Vec<S>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadResult {
    pub local_id: String,
    pub status: ResultStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_number: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<Strategy>,
}

impl UploadResult {
    fn base(local_id: String, status: ResultStatus) -> Self {
        Self {
            local_id,
            status,
            sale_id: None,
            sale_number: None,
            message: None,
            duplicate: None,
            version: None,
            error: None,
            conflict: None,
            resolved_by: None,
        }
    }

    pub fn success(local_id: String, sale_id: i64, number: Option<String>, version: i64) -> Self {
        Self {
            sale_id: Some(sale_id),
            sale_number: number,
            version: Some(version),
            ..Self::base(local_id, ResultStatus::Success)
        }
    }

    pub fn duplicate(local_id: String, sale_id: i64, number: Option<String>, version: i64) -> Self {
        Self {
            duplicate: Some(true),
            message: Some(DUPLICATE_MESSAGE.to_owned()),
            ..Self::success(local_id, sale_id, number, version)
        }
    }

    pub fn error(local_id: String, sale_id: Option<i64>, error: String) -> Self {
        Self {
            sale_id,
            error: Some(error),
            ..Self::base(local_id, ResultStatus::Error)
        }
    }

    pub fn conflict(local_id: String, sale_id: i64, conflict: ConflictInfo) -> Self {
        Self {
            sale_id: Some(sale_id),
            conflict: Some(conflict),
            ..Self::base(local_id, ResultStatus::Conflict)
        }
    }

    pub fn is_duplicate(&self) -> bool {
        self.duplicate == Some(true)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UploadSummary {
    pub total: usize,
    pub successful: usize,
    pub duplicates: usize,
    pub conflicts: usize,
    pub errors: usize,
}

impl UploadSummary {
    pub fn of(results: &[UploadResult]) -> Self {
        let count = |s: ResultStatus| results.iter().filter(|r| r.status == s).count();
        Self {
            total: results.len(),
            successful: count(ResultStatus::Success),
            duplicates: results.iter().filter(|r| r.is_duplicate()).count(),
            conflicts: count(ResultStatus::Conflict),
            errors: count(ResultStatus::Error),
        }
    }

    /// The contract answers 400 when every sale of the batch ended in error.
    pub fn all_failed(&self) -> bool {
        self.total > 0 && self.errors == self.total
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadResponse {
    pub results: Vec<UploadResult>,
    pub summary: UploadSummary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_envelope_is_a_sales_list() {
        let body = UploadRequest {
            sales: vec![serde_json::json!({"local_id": "a"})],
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"sales":[{"local_id":"a"}]}"#
        );
        for not_a_list in [
            r#"{}"#,
            r#"{"sales":{}}"#,
            r#"{"sales":"x"}"#,
            r#"{"sales":null}"#,
        ] {
            assert!(serde_json::from_str::<UploadRequest<serde_json::Value>>(not_a_list).is_err());
        }
    }

    #[test]
    fn golden_result_wire_format() {
        let ok = UploadResult::success("a".into(), 42, Some("VTA-2026-00042".into()), 1);
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"local_id":"a","status":"success","sale_id":42,"sale_number":"VTA-2026-00042","message":null,"version":1}"#
        );
        let dup = UploadResult::duplicate("a".into(), 42, Some("VTA-2026-00042".into()), 1);
        assert_eq!(
            serde_json::to_string(&dup).unwrap(),
            r#"{"local_id":"a","status":"success","sale_id":42,"sale_number":"VTA-2026-00042","message":"Sale already synced","duplicate":true,"version":1}"#
        );
        let err = UploadResult::error("b".into(), Some(43), "Customer con id=999 no existe".into());
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"local_id":"b","status":"error","sale_id":43,"message":null,"error":"Customer con id=999 no existe"}"#
        );
    }

    #[test]
    fn summary_counts_duplicates_as_successes() {
        let results = vec![
            UploadResult::success("a".into(), 1, None, 1),
            UploadResult::duplicate("b".into(), 2, None, 1),
            UploadResult::error("c".into(), None, "x".into()),
        ];
        let s = UploadSummary::of(&results);
        assert_eq!(
            (s.total, s.successful, s.duplicates, s.errors),
            (3, 2, 1, 1)
        );
        assert!(!s.all_failed());
        assert!(UploadSummary::of(&results[2..]).all_failed());
    }
}
