//! `/api/v1/cargue/{seller_code}/settlement/…`: a seller's day settled —
//! the figures of [`crate::settlement`] as text, what the dispatcher
//! counted, the differences, and what is still missing or came late.
use crate::sale::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(
    /// Where a day's settlement stands: not settled yet, settled (the sheet
    /// is locked), or re-opened by an admin for a correction.
    SettlementState { Open = "open", Settled = "settled", Reopened = "reopened" }
);

/// One product of the day. Quantities are dot-decimal text; `counted_left`
/// and `difference` are there once the dispatcher has counted (a negative
/// difference is a shortage, faltante; a positive one a surplus, sobrante).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementLine {
    pub product_id: i64,
    pub product: String,
    pub loaded: String,
    pub sold: String,
    pub returned: String,
    pub expected_left: String,
    #[serde(default)]
    pub counted_left: Option<String>,
    #[serde(default)]
    pub difference: Option<String>,
}

/// Money by payment method, two decimals.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentTotals {
    pub cash: String,
    pub transfer: String,
    pub card: String,
    pub credit: String,
    pub total: String,
}

/// A sale of the day that reached the server after the settlement was
/// made: accepted (never lost) and shown here, so the day can be re-opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateSale {
    pub sale_id: i64,
    pub number: Option<String>,
    pub total: Option<String>,
    pub accepted_at: String,
}

/// A device of the seller with sales not yet synced: "N ventas del
/// dispositivo X aún sin sincronizar". `sales` counts the day's sales the
/// server holds but has not accepted (pending, with errors or in
/// conflict); `reported_unsynced` is what the phone itself last said its
/// outbox held (header `X-Ruta-Outbox`), at `reported_at` — sales the
/// server has not seen at all. `last_sync_at` is the device's last
/// successful upload; `name` what an admin named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsyncedDevice {
    pub device_id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub sales: i64,
    #[serde(default)]
    pub reported_unsynced: Option<i64>,
    #[serde(default)]
    pub reported_at: Option<String>,
    pub last_sync_at: Option<String>,
}

/// `GET /api/v1/cargue/{seller_code}/settlement/?date=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementView {
    pub seller_code: String,
    pub date: String,
    pub state: SettlementState,
    /// 0 until first settled; each settlement adds one.
    pub version: i64,
    pub lines: Vec<SettlementLine>,
    pub payments: PaymentTotals,
    pub sales_count: u32,
    pub voided_count: u32,
    pub cash_expected: String,
    #[serde(default)]
    pub cash_counted: Option<String>,
    #[serde(default)]
    pub cash_difference: Option<String>,
    #[serde(default)]
    pub settled_by: Option<String>,
    #[serde(default)]
    pub settled_at: Option<String>,
    #[serde(default)]
    pub reopened_by: Option<String>,
    #[serde(default)]
    pub reopened_at: Option<String>,
    #[serde(default)]
    pub reopen_reason: Option<String>,
    pub late_sales: Vec<LateSale>,
    pub unsynced: Vec<UnsyncedDevice>,
}

/// One product counted on the truck's return: sellable units left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedLine {
    pub product_id: i64,
    pub left: String,
}

/// `POST /api/v1/cargue/{seller_code}/settle/` (dispatcher, admin).
/// `version` is the settlement version the count was made on (0 for a
/// first settlement): a stale one is refused, so two dispatchers cannot
/// overwrite each other's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettleRequest {
    #[serde(default)]
    pub date: Option<String>,
    pub lines: Vec<CountedLine>,
    pub cash_counted: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// `POST /api/v1/cargue/{seller_code}/reopen/` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenRequest {
    #[serde(default)]
    pub date: Option<String>,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_settle_request_reads_the_documented_body() {
        let body = json!({"date": "2026-02-16", "lines": [{"product_id": 10, "left": "3.5"}],
                          "cash_counted": "125000.00", "version": 1});
        let r: SettleRequest = serde_json::from_value(body).unwrap();
        assert_eq!(r.lines[0].left, "3.5");
        assert_eq!(r.version, Some(1));
        let first: SettleRequest =
            serde_json::from_value(json!({"lines": [], "cash_counted": "0"})).unwrap();
        assert_eq!((first.date, first.version), (None, None));
    }

    #[test]
    fn states_use_their_wire_names() {
        assert_eq!(
            serde_json::to_value(SettlementState::Reopened).unwrap(),
            json!("reopened")
        );
        assert_eq!(
            SettlementState::parse("settled"),
            Some(SettlementState::Settled)
        );
    }
}
