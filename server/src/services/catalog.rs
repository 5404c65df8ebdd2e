//! Catalog writes and the offline client's change feed.
use super::{ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::catalog::{self as store, CatalogTable};
use ruta_shared::catalog::{Customer, CustomerInput, Product, ProductInput};
use serde::Serialize;

fn invalid(e: ruta_shared::catalog::FieldError) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

fn sku_taken(e: sqlx::Error) -> ServiceError {
    if crate::db::is_unique_violation(&e) {
        ServiceError::invalid("sku", "sku ya existe")
    } else {
        e.into()
    }
}

pub async fn create_customer(db: &Db, input: &CustomerInput) -> ServiceResult<Customer> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let id = store::insert_customer(&mut tx, input, &clock::now()).await?;
    let row = store::customer(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(row.into())
}

pub async fn update_customer(db: &Db, id: i64, input: &CustomerInput) -> ServiceResult<Customer> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    if !store::update_customer(&mut tx, id, input, &clock::now()).await? {
        return Err(ServiceError::NotFound);
    }
    let row = store::customer(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(row.into())
}

pub async fn create_product(db: &Db, input: &ProductInput) -> ServiceResult<Product> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let id = store::insert_product(&mut tx, input, &clock::now())
        .await
        .map_err(sku_taken)?;
    let row = store::product(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(row.to_product())
}

pub async fn update_product(db: &Db, id: i64, input: &ProductInput) -> ServiceResult<Product> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    if !store::update_product(&mut tx, id, input, &clock::now())
        .await
        .map_err(sku_taken)?
    {
        return Err(ServiceError::NotFound);
    }
    let row = store::product(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    Ok(row.to_product())
}

pub async fn deactivate(db: &Db, table: CatalogTable, id: i64) -> ServiceResult<()> {
    let mut tx = db.write().begin().await?;
    if !store::deactivate(&mut tx, table, id, &clock::now()).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Serialize)]
pub struct Changes {
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
    pub cursor: String,
    pub has_more: bool,
}

pub const CHANGES_PAGE: i64 = 1_000;

/// Everything changed after `since` (a catalog sequence value), at most
/// one page, in sequence order across both tables.
pub async fn changes(db: &Db, since: i64) -> ServiceResult<Changes> {
    let customers = store::customers_changed_since(db.read(), since, CHANGES_PAGE + 1).await?;
    let products = store::products_changed_since(db.read(), since, CHANGES_PAGE + 1).await?;
    let mut seqs: Vec<i64> = customers
        .iter()
        .map(|c| c.change_seq)
        .chain(products.iter().map(|p| p.change_seq))
        .collect();
    seqs.sort_unstable();
    let has_more = seqs.len() as i64 > CHANGES_PAGE;
    let last = if has_more {
        seqs[(CHANGES_PAGE - 1) as usize]
    } else {
        seqs.last().copied().unwrap_or(since)
    };
    Ok(Changes {
        customers: customers
            .into_iter()
            .filter(|c| c.change_seq <= last)
            .map(Into::into)
            .collect(),
        products: products
            .iter()
            .filter(|p| p.change_seq <= last)
            .map(|p| p.to_product())
            .collect(),
        cursor: encode_cursor(last),
        has_more,
    })
}

/// Cursors are opaque to clients: `c` followed by the sequence value.
pub fn encode_cursor(seq: i64) -> String {
    format!("c{seq}")
}

pub fn decode_cursor(cursor: &str) -> Option<i64> {
    cursor
        .strip_prefix('c')?
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
}
