//! `/api/v1/admin/sales/…`: the office's view of every sale.
use crate::sale::SaleView;
use crate::wire::admin::LogEntry;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A superseded accepted version of a sale, as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleVersion {
    pub version: i64,
    pub content: Value,
    /// When a newer version replaced it.
    pub superseded_at: String,
}

/// `GET /api/v1/admin/sales/{id}/history/`: the sale as it stands, every
/// earlier version, and every log row about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleHistory {
    pub sale: SaleView,
    pub versions: Vec<SaleVersion>,
    pub log: Vec<LogEntry>,
}
