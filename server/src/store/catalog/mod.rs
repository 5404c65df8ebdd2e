//! Customers and products. Every write takes the next value of one
//! server-side catalog sequence (`catalog_seq`), so offline clients can ask
//! "what changed after N" without trusting anyone's clock. The sequence row
//! is locked until the writing transaction commits, so sequence order is
//! commit order and a client's cursor never skips a late commit.
use super::{Flag, Page, Tx};
use crate::db::RowLock;
use ruta_shared::catalog::{Customer, CustomerInput, Product, ProductInput};
use sqlx::{AnyExecutor, FromRow};

mod changes;
pub use changes::*;

#[derive(Debug, Clone, FromRow)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub business_name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub route: Option<String>,
    #[sqlx(try_from = "i64")]
    pub active: Flag,
    pub version: i64,
    pub updated_at: String,
    pub change_seq: i64,
}

impl From<CustomerRow> for Customer {
    fn from(r: CustomerRow) -> Self {
        Customer {
            id: r.id,
            name: r.name,
            business_name: r.business_name,
            phone: r.phone,
            address: r.address,
            route: r.route,
            active: r.active.0,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct ProductRow {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub unit_price: String,
    pub tax_percentage: String,
    #[sqlx(try_from = "i64")]
    pub active: Flag,
    pub version: i64,
    pub updated_at: String,
    pub change_seq: i64,
}

impl ProductRow {
    pub fn to_product(&self) -> Product {
        Product {
            id: self.id,
            sku: self.sku.clone(),
            name: self.name.clone(),
            unit_price: self.unit_price.parse().unwrap_or_default(),
            tax_percentage: self.tax_percentage.parse().unwrap_or_default(),
            active: self.active.0,
            version: self.version,
            updated_at: self.updated_at.clone(),
        }
    }
}

const CUSTOMER_COLUMNS: &str =
    "id, name, business_name, phone, address, route, active, version, updated_at, change_seq";
const PRODUCT_COLUMNS: &str =
    "id, sku, name, unit_price, tax_percentage, active, version, updated_at, change_seq";

pub async fn next_change_seq(tx: &mut Tx<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE catalog_seq SET value = value + 1 WHERE id = 1 RETURNING value")
        .fetch_one(&mut **tx)
        .await
}

/// `%term%` for LIKE, with the wildcard characters of the term escaped.
fn like_pattern(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

pub async fn list_customers<'e, E: AnyExecutor<'e> + Copy>(
    db: E,
    q: Option<&str>,
    page: Page,
) -> Result<(i64, Vec<CustomerRow>), sqlx::Error> {
    let pattern = like_pattern(q.unwrap_or(""));
    let filter = "WHERE (LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(COALESCE(business_name, '')) LIKE $1 ESCAPE '\\')";
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM customers {filter}"))
        .bind(&pattern)
        .fetch_one(db)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers {filter} ORDER BY name, id LIMIT $2 OFFSET $3"
    ))
    .bind(&pattern)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await?;
    Ok((total, rows))
}

pub async fn list_products<'e, E: AnyExecutor<'e> + Copy>(
    db: E,
    q: Option<&str>,
    page: Page,
) -> Result<(i64, Vec<ProductRow>), sqlx::Error> {
    let pattern = like_pattern(q.unwrap_or(""));
    let filter = "WHERE (LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(sku) LIKE $1 ESCAPE '\\')";
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM products {filter}"))
        .bind(&pattern)
        .fetch_one(db)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products {filter} ORDER BY name, id LIMIT $2 OFFSET $3"
    ))
    .bind(&pattern)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await?;
    Ok((total, rows))
}

pub async fn customer<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
) -> Result<Option<CustomerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn product<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
) -> Result<Option<ProductRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The customer, locked for the writing transaction.
pub async fn customer_for_update(
    tx: &mut Tx<'_>,
    id: i64,
    lock: RowLock,
) -> Result<Option<CustomerRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1{}",
        lock.clause()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The product, locked for the writing transaction.
pub async fn product_for_update(
    tx: &mut Tx<'_>,
    id: i64,
    lock: RowLock,
) -> Result<Option<ProductRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1{}",
        lock.clause()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The product with this SKU (active or not).
pub async fn product_id_by_sku<'e>(
    db: impl AnyExecutor<'e>,
    sku: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM products WHERE sku = $1")
        .bind(sku)
        .fetch_optional(db)
        .await
}

pub async fn insert_customer(
    tx: &mut Tx<'_>,
    c: &CustomerInput,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let seq = next_change_seq(tx).await?;
    sqlx::query_scalar(
        "INSERT INTO customers (name, business_name, phone, address, route, active, version, updated_at, change_seq) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
    )
    .bind(&c.name)
    .bind(&c.business_name)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.route)
    .bind(i64::from(c.active.unwrap_or(true)))
    .bind(now)
    .bind(seq)
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_customer(
    tx: &mut Tx<'_>,
    id: i64,
    c: &CustomerInput,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let seq = next_change_seq(tx).await?;
    let n = sqlx::query(
        "UPDATE customers SET name = $1, business_name = $2, phone = $3, address = $4, route = $5, \
         active = COALESCE($6, active), version = version + 1, updated_at = $7, change_seq = $8 WHERE id = $9",
    )
    .bind(&c.name)
    .bind(&c.business_name)
    .bind(&c.phone)
    .bind(&c.address)
    .bind(&c.route)
    .bind(c.active.map(i64::from))
    .bind(now)
    .bind(seq)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn insert_product(
    tx: &mut Tx<'_>,
    p: &ProductInput,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let seq = next_change_seq(tx).await?;
    sqlx::query_scalar(
        "INSERT INTO products (sku, name, unit_price, tax_percentage, active, version, updated_at, change_seq) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
    )
    .bind(&p.sku)
    .bind(&p.name)
    .bind(p.unit_price.to_string())
    .bind(p.tax_percentage.to_string())
    .bind(i64::from(p.active.unwrap_or(true)))
    .bind(now)
    .bind(seq)
    .fetch_one(&mut **tx)
    .await
}

pub async fn update_product(
    tx: &mut Tx<'_>,
    id: i64,
    p: &ProductInput,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let seq = next_change_seq(tx).await?;
    let n = sqlx::query(
        "UPDATE products SET sku = $1, name = $2, unit_price = $3, tax_percentage = $4, \
         active = COALESCE($5, active), version = version + 1, updated_at = $6, change_seq = $7 WHERE id = $8",
    )
    .bind(&p.sku)
    .bind(&p.name)
    .bind(p.unit_price.to_string())
    .bind(p.tax_percentage.to_string())
    .bind(p.active.map(i64::from))
    .bind(now)
    .bind(seq)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Soft delete: `active = false`, which also travels as a change.
pub async fn deactivate(
    tx: &mut Tx<'_>,
    table: CatalogTable,
    id: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let seq = next_change_seq(tx).await?;
    let n = sqlx::query(&format!(
        "UPDATE {} SET active = 0, version = version + 1, updated_at = $1, change_seq = $2 WHERE id = $3",
        table.name()
    ))
    .bind(now)
    .bind(seq)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// `$1, $2, …, $n` — only ever numbers, never input.
pub fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
