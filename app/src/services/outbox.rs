//! The sales outbox: every sale made on this device, with where it stands
//! with the server. A record leaves the "unsynced" count only when the
//! server said success; nothing here ever deletes an unconfirmed sale.
//! Only this module writes the `outbox` store, so what a record may become
//! is decided in one place.
use super::idb::{self, IdbError, Key, OUTBOX};
use super::platform::now_ms;
use ruta_shared::planner::{state_after, LocalState, OutboxItem};
use ruta_shared::sale::{SaleStatus, SaleView};
use ruta_shared::sync::{UploadRequest, UploadResult};
use ruta_shared::wire::phone_sale::PhoneSale;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRecord {
    pub local_id: String,
    /// The sale exactly as it is uploaded (the service worker uploads this
    /// field as it is stored). Read forgivingly: see [`PhoneSale`].
    pub sale: PhoneSale,
    pub state: LocalState,
    pub customer_name: String,
    /// The total the form showed (the server computes its own).
    pub total: String,
    /// When this copy was saved on the device (ms since the epoch).
    pub saved_at: f64,
}

impl OutboxRecord {
    pub fn is_synced(&self) -> bool {
        matches!(self.state, LocalState::Synced { .. })
    }

    pub fn is_draft(&self) -> bool {
        self.sale.status == SaleStatus::Draft
    }

    /// Drafts can be changed until a conflict asks for a decision first;
    /// a sale the server refused can be fixed and sent again.
    pub fn editable(&self) -> bool {
        match self.state {
            LocalState::Error { .. } => true,
            LocalState::Conflict { .. } => false,
            _ => self.is_draft(),
        }
    }

    /// Sales for a shop made on this device wait for the shop to reach the
    /// server first (its id is negative until then).
    pub fn waits_for_customer(&self) -> bool {
        self.sale.customer_id < 0
    }

    pub fn item(&self) -> OutboxItem {
        OutboxItem {
            local_id: self.local_id.clone(),
            state: self.state.clone(),
        }
    }
}

/// Unsynced = pending, error or conflict: what would be lost with the device.
pub fn unsynced(records: &[OutboxRecord]) -> usize {
    records.iter().filter(|r| !r.is_synced()).count()
}

/// Whether a sale saved on the device has waited longer than `max_age_ms`
/// at `now_ms` to reach the server.
pub fn has_stale(records: &[OutboxRecord], now_ms: f64, max_age_ms: f64) -> bool {
    records
        .iter()
        .any(|r| !r.is_synced() && now_ms - r.saved_at > max_age_ms)
}

/// Newest first.
pub async fn all() -> Result<Vec<OutboxRecord>, IdbError> {
    let mut records: Vec<OutboxRecord> = idb::get_all(OUTBOX).await?;
    records.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
    Ok(records)
}

pub async fn get(local_id: &str) -> Result<Option<OutboxRecord>, IdbError> {
    idb::get(OUTBOX, &Key::Text(local_id.to_owned())).await
}

pub async fn save(record: &OutboxRecord) -> Result<(), IdbError> {
    idb::write(OUTBOX, std::slice::from_ref(record), &[]).await
}

/// Points the sales made for a shop added offline (`from`, its negative
/// id) at the id the server gave it (`to`).
pub async fn repoint_customer(from: i64, to: i64) {
    let Ok(records) = all().await else {
        return;
    };
    let keys: Vec<Key> = records
        .iter()
        .filter(|r| r.sale.customer_id == from)
        .map(|r| Key::Text(r.local_id.clone()))
        .collect();
    let _ = idb::update(OUTBOX, &keys, |rows: Vec<OutboxRecord>| {
        rows.into_iter()
            .map(|mut r| {
                r.sale.customer_id = to;
                r
            })
            .collect()
    })
    .await;
}

/// What one upload result does to the stored record. `sent_at` is the
/// `saved_at` of the copy that was uploaded: if the seller saved a newer
/// copy meanwhile, the result is about the old one, so the new copy stays
/// pending — but a success still moves its base version forward, so the
/// next upload is an edit, not a conflict with itself.
pub fn settle(record: &mut OutboxRecord, result: &UploadResult, sent_at: f64) -> bool {
    let next = state_after(result);
    if next == LocalState::Pending {
        return false;
    }
    if record.saved_at != sent_at {
        if let LocalState::Synced { version, .. } = next {
            record.sale.version = version;
            return true;
        }
        return false;
    }
    if record.state == next {
        return false;
    }
    record.state = next;
    true
}

/// Applies a batch's results to the records shown (the page is the only
/// writer of their content); returns the changed ones, to be stored.
pub fn settle_all(
    records: &mut [OutboxRecord],
    results: &[UploadResult],
    sent: &HashMap<String, f64>,
) -> Vec<OutboxRecord> {
    let index: HashMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.local_id.clone(), i))
        .collect();
    let mut changed = Vec::new();
    for result in results {
        let (Some(&i), Some(&sent_at)) = (index.get(&result.local_id), sent.get(&result.local_id))
        else {
            continue;
        };
        if settle(&mut records[i], result, sent_at) {
            changed.push(records[i].clone());
        }
    }
    changed
}

/// Stores changed records in one transaction.
pub async fn store(records: &[OutboxRecord]) -> Result<(), IdbError> {
    if records.is_empty() {
        return Ok(());
    }
    idb::write(OUTBOX, records, &[]).await
}

/// Every unsynced sale as one JSON document, for "Exportar ventas sin
/// sincronizar": the wire sales, re-sendable as an upload body. Compact,
/// not pretty-printed: a second JSON writer only for this file would grow
/// the phone's WASM (docs/wasm-size.md).
pub fn export(records: &[OutboxRecord]) -> String {
    let sales: Vec<&PhoneSale> = records
        .iter()
        .filter(|r| !r.is_synced())
        .map(|r| &r.sale)
        .collect();
    serde_json::to_string(&UploadRequest { sales }).unwrap_or_default()
}

/// The server's copy after a conflict was resolved (here or by an admin),
/// as this device stores it.
pub fn settled_by_server(record: &OutboxRecord, view: &SaleView) -> OutboxRecord {
    OutboxRecord {
        sale: record.sale.settled_by(view),
        state: LocalState::Synced {
            sale_id: view.id,
            number: view.number.clone(),
            version: view.version,
        },
        total: view.total.clone().unwrap_or_else(|| record.total.clone()),
        customer_name: view
            .customer_name
            .clone()
            .unwrap_or_else(|| record.customer_name.clone()),
        saved_at: now_ms(),
        ..record.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn record(saved_at: f64) -> OutboxRecord {
        OutboxRecord {
            local_id: "a".into(),
            sale: PhoneSale::from_value(
                &json!({"local_id": "a", "status": "draft", "customer_id": 5, "version": 1}),
            ),
            state: LocalState::Pending,
            customer_name: "Tienda".into(),
            total: "10.00".into(),
            saved_at,
        }
    }

    #[test]
    fn a_success_settles_the_copy_that_was_sent() {
        let mut r = record(1.0);
        let ok = UploadResult::success("a".into(), 7, Some("VTA-2026-00007".into()), 1);
        assert!(settle(&mut r, &ok, 1.0));
        assert!(r.is_synced());
        assert_eq!(unsynced(&[r]), 0);
    }

    #[test]
    fn a_newer_local_copy_stays_pending_with_the_new_base_version() {
        let mut r = record(2.0);
        let ok = UploadResult::success("a".into(), 7, None, 3);
        assert!(settle(&mut r, &ok, 1.0));
        assert_eq!(r.state, LocalState::Pending);
        assert_eq!(r.sale.version, 3);
        let err = UploadResult::error("a".into(), Some(7), "x".into());
        assert!(!settle(&mut r, &err, 1.0));
        assert_eq!(r.state, LocalState::Pending);
    }

    #[test]
    fn settle_all_touches_only_the_answered_records() {
        let mut all = vec![record(1.0), record(1.0)];
        all[1].local_id = "b".into();
        let sent: HashMap<String, f64> = [("a".to_owned(), 1.0), ("b".to_owned(), 1.0)].into();
        let results = vec![UploadResult::success("a".into(), 7, None, 1)];
        let changed = settle_all(&mut all, &results, &sent);
        assert_eq!(changed.len(), 1);
        assert!(all[0].is_synced() && !all[1].is_synced());
    }

    #[test]
    fn a_stored_record_keeps_its_shape_and_an_old_one_still_reads() {
        // As the page stored it before the sale was typed; the service
        // worker reads `sale` and `sale.customer_id` from this same object.
        let stored = concat!(
            r#"{"local_id":"a","sale":{"created_at":"","customer_id":5,"device_id":"","items":[],"#,
            r#""local_id":"a","notes":null,"payment_method":"cash","returns":[],"status":"draft","#,
            r#""updated_at":"","version":1},"state":{"state":"pending"},"customer_name":"Tienda","#,
            r#""total":"10.00","saved_at":1.0}"#
        );
        assert_eq!(serde_json::to_string(&record(1.0)).unwrap(), stored);
        assert_eq!(
            serde_json::from_str::<OutboxRecord>(stored).unwrap(),
            record(1.0)
        );
        let old = r#"{"local_id":"a","sale":{"local_id":"a","status":"draft","customer_id":-2},
            "state":{"state":"pending"},"customer_name":"","total":"0","saved_at":5}"#;
        let old: OutboxRecord = serde_json::from_str(old).unwrap();
        assert!(old.is_draft() && old.waits_for_customer() && old.editable());
        assert_eq!(old.sale.version, 1);
    }

    #[test]
    fn errors_show_the_server_message_and_export_keeps_unsynced_only() {
        let mut r = record(1.0);
        let err = UploadResult::error("a".into(), Some(7), "Customer con id=5 no existe".into());
        assert!(settle(&mut r, &err, 1.0));
        assert!(
            matches!(&r.state, LocalState::Error { message, .. } if message == "Customer con id=5 no existe")
        );
        let mut synced = record(1.0);
        synced.local_id = "b".into();
        synced.sale.local_id = "b".into();
        synced.state = LocalState::Synced {
            sale_id: 1,
            number: None,
            version: 1,
        };
        let exported: Value = serde_json::from_str(&export(&[r, synced])).unwrap();
        assert_eq!(exported["sales"].as_array().unwrap().len(), 1);
        assert_eq!(exported["sales"][0]["local_id"], json!("a"));
        assert!(record(1.0).editable() && record(1.0).is_draft());
    }
}
