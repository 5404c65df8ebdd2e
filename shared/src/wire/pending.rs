//! A row of `GET /api/v1/sales/sync/pending/`: a sale the server holds
//! that is not synced (pending, error or conflict).
use crate::sale::{wire_enum, PaymentStatus, SaleStatus, SyncStatus};
use serde::{Deserialize, Serialize};

wire_enum!(
    /// Whether the sale needs an electronic invoice, and where that stands.
    /// Ruta does not invoice yet: every sale is `not_required`.
    FiscalStatus { NotRequired = "not_required" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSale {
    pub id: i64,
    pub number: Option<String>,
    pub local_id: String,
    /// `None` for a sale stored from an upload that failed its shape check.
    pub status: Option<SaleStatus>,
    pub payment_status: Option<PaymentStatus>,
    /// The customer's id, as the contract's seed has it.
    pub customer: Option<i64>,
    pub customer_name: Option<String>,
    pub fiscal_status: FiscalStatus,
    pub total: Option<String>,
    pub created_at: String,
    pub sync_status: SyncStatus,
    pub error: Option<String>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub sync_attempt_count: i64,
    pub sync_last_attempt: Option<String>,
    pub next_attempt_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_is_written_with_the_customer_id_its_name_and_the_fiscal_status() {
        let row = PendingSale {
            id: 43,
            number: None,
            local_id: "4b0f8f7e-9a51-4a53-8d0b-3b8a3c3f0c11".into(),
            status: Some(SaleStatus::Confirmed),
            payment_status: Some(PaymentStatus::Paid),
            customer: Some(7),
            customer_name: Some("Tienda La 14".into()),
            fiscal_status: FiscalStatus::NotRequired,
            total: Some("13500.00".into()),
            created_at: "2026-02-16T10:00:00Z".into(),
            sync_status: SyncStatus::Error,
            error: Some("Item #0: Producto con id=77 no existe".into()),
            seller_code: Some("ID1".into()),
            device_id: Some("tablet-1".into()),
            sync_attempt_count: 2,
            sync_last_attempt: Some("2026-02-16T10:05:00Z".into()),
            next_attempt_at: None,
        };
        let golden = json!({
            "id": 43, "number": null, "local_id": "4b0f8f7e-9a51-4a53-8d0b-3b8a3c3f0c11",
            "status": "confirmed", "payment_status": "paid",
            "customer": 7, "customer_name": "Tienda La 14", "fiscal_status": "not_required",
            "total": "13500.00", "created_at": "2026-02-16T10:00:00Z", "sync_status": "error",
            "error": "Item #0: Producto con id=77 no existe", "seller_code": "ID1",
            "device_id": "tablet-1", "sync_attempt_count": 2,
            "sync_last_attempt": "2026-02-16T10:05:00Z", "next_attempt_at": null
        });
        assert_eq!(serde_json::to_value(&row).unwrap(), golden);
        assert_eq!(serde_json::from_value::<PendingSale>(golden).unwrap(), row);
    }
}
