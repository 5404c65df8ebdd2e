//! The catalog's change feed (what changed after a sequence number) and
//! the lookups the sync pipeline makes of active records.

use super::*;
use sqlx::AnyExecutor;

#[derive(Debug, Clone, Copy)]
pub enum CatalogTable {
    Customers,
    Products,
}

impl CatalogTable {
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Products => "products",
        }
    }
}

pub async fn customers_changed_since<'e>(
    db: impl AnyExecutor<'e>,
    since: i64,
    limit: i64,
) -> Result<Vec<CustomerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE change_seq > $1 ORDER BY change_seq LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn products_changed_since<'e>(
    db: impl AnyExecutor<'e>,
    since: i64,
    limit: i64,
) -> Result<Vec<ProductRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE change_seq > $1 ORDER BY change_seq LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Active customers among `ids` (for check 3), in one query.
pub async fn active_customer_ids<'e>(
    db: impl AnyExecutor<'e>,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id FROM customers WHERE active = 1 AND id IN ({})",
        placeholders(ids.len())
    );
    let mut q = sqlx::query_scalar(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db).await
}

/// Active products among `ids` (for check 6), in one query.
pub async fn active_products<'e>(
    db: impl AnyExecutor<'e>,
    ids: &[i64],
) -> Result<Vec<ProductRow>, sqlx::Error> {
    products_among(db, ids, "active = 1 AND").await
}

/// Products among `ids`, active or not, in one query.
pub async fn products_by_id<'e>(
    db: impl AnyExecutor<'e>,
    ids: &[i64],
) -> Result<Vec<ProductRow>, sqlx::Error> {
    products_among(db, ids, "").await
}

/// `also` is a fixed SQL condition written here, never input.
async fn products_among<'e>(
    db: impl AnyExecutor<'e>,
    ids: &[i64],
    also: &'static str,
) -> Result<Vec<ProductRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE {also} id IN ({})",
        placeholders(ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db).await
}
