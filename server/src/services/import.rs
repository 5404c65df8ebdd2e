//! CSV import of products and customers (admin).
//!
//! The rows are read and checked in `ruta_shared::import` (pure, fuzzed).
//! Refused rows are reported with their line number (the header is line 1) and never touch
//! the database; the good rows are written in one transaction, each like
//! its single-row endpoint would (a known SKU is an update: version + 1,
//! and every row takes a catalog change sequence value).
use super::audit::{self, Entry};
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::catalog as store;
use crate::store::Tx;
use ruta_shared::audit::SyncAction;
use ruta_shared::catalog::FieldError;
pub use ruta_shared::import::RejectedRow;
use ruta_shared::import::{customer_rows, product_rows};
use serde_json::json;

pub use ruta_shared::wire::admin::ImportReport;

fn file_error(e: FieldError) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

/// The import's log row: which catalog, how many rows did what.
async fn log_import(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    entity: &str,
    report: &ImportReport,
) -> ServiceResult<()> {
    let detail = json!({
        "entity": entity, "created": report.created, "updated": report.updated,
        "rejected": report.rejected.len(),
    });
    audit::record(
        tx,
        db,
        actor,
        SyncAction::CatalogImport,
        Entry::about(detail),
    )
    .await?;
    Ok(())
}

/// Products: a row whose SKU exists updates that product, else creates one.
/// A row that changes a price also logs the price change.
pub async fn products(db: &Db, actor: &Actor, text: &str) -> ServiceResult<ImportReport> {
    let (good, rejected) = product_rows(text).map_err(file_error)?;
    let mut report = ImportReport {
        rejected,
        ..ImportReport::default()
    };
    if good.is_empty() {
        return Ok(report);
    }
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    for input in &good {
        match store::product_id_by_sku(&mut *tx, &input.sku).await? {
            Some(id) => {
                let before = store::product(&mut *tx, id).await?.map(|p| p.to_product());
                store::update_product(&mut tx, id, input, &now).await?;
                let after = store::product(&mut *tx, id).await?.map(|p| p.to_product());
                if let (Some(before), Some(after)) = (before, after) {
                    let fields = input.changed_fields(&before);
                    super::catalog::log_product_edit(&mut tx, db, actor, &before, &after, &fields)
                        .await?;
                }
                report.updated += 1;
            }
            None => {
                store::insert_product(&mut tx, input, &now).await?;
                report.created += 1;
            }
        }
    }
    report.imported = report.created + report.updated;
    log_import(&mut tx, db, actor, "product", &report).await?;
    tx.commit().await?;
    Ok(report)
}

/// Customers: every good row creates a customer.
pub async fn customers(db: &Db, actor: &Actor, text: &str) -> ServiceResult<ImportReport> {
    let (good, rejected) = customer_rows(text).map_err(file_error)?;
    let mut report = ImportReport {
        rejected,
        ..ImportReport::default()
    };
    if good.is_empty() {
        return Ok(report);
    }
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    for input in &good {
        store::insert_customer(&mut tx, input, &now).await?;
    }
    report.created = good.len();
    report.imported = good.len();
    log_import(&mut tx, db, actor, "customer", &report).await?;
    tx.commit().await?;
    Ok(report)
}
