//! CSV import of products and customers (admin).
//!
//! The rows are read and checked in `ruta_shared::import` (pure, fuzzed).
//! Refused rows are reported with their line number (the header is line 1) and never touch
//! the database; the good rows are written in one transaction, each like
//! its single-row endpoint would (a known SKU is an update: version + 1,
//! and every row takes a catalog change sequence value).
use super::{ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::catalog as store;
use ruta_shared::catalog::FieldError;
pub use ruta_shared::import::RejectedRow;
use ruta_shared::import::{customer_rows, product_rows};
use serde::Serialize;

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub created: usize,
    pub updated: usize,
    pub rejected: Vec<RejectedRow>,
}

fn file_error(e: FieldError) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

/// Products: a row whose SKU exists updates that product, else creates one.
pub async fn products(db: &Db, text: &str) -> ServiceResult<ImportReport> {
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
                store::update_product(&mut tx, id, input, &now).await?;
                report.updated += 1;
            }
            None => {
                store::insert_product(&mut tx, input, &now).await?;
                report.created += 1;
            }
        }
    }
    tx.commit().await?;
    report.imported = report.created + report.updated;
    Ok(report)
}

/// Customers: every good row creates a customer.
pub async fn customers(db: &Db, text: &str) -> ServiceResult<ImportReport> {
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
    tx.commit().await?;
    report.created = good.len();
    report.imported = good.len();
    Ok(report)
}
