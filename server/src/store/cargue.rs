//! Cargue sheets and their lines.
use super::{Flag, Tx};
use crate::db::RowLock;
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct SheetRow {
    pub id: i64,
    pub seller_code: String,
    pub date: String,
    #[sqlx(try_from = "i64")]
    pub closed: Flag,
}

#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub product_id: i64,
    pub product: Option<String>,
    pub quantity: String,
    #[sqlx(try_from = "i64")]
    pub v: Flag,
    #[sqlx(try_from = "i64")]
    pub d: Flag,
    pub version: i64,
    pub updated_at: String,
}

pub async fn sheet<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
    date: &str,
) -> Result<Option<SheetRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, seller_code, date, closed FROM cargue_sheets WHERE seller_code = $1 AND date = $2")
        .bind(seller_code)
        .bind(date)
        .fetch_optional(db)
        .await
}

/// The sheet, created if missing, locked for this transaction.
pub async fn lock_or_create(
    tx: &mut Tx<'_>,
    seller_code: &str,
    date: &str,
    now: &str,
    lock: RowLock,
) -> Result<SheetRow, sqlx::Error> {
    sqlx::query(
        "INSERT INTO cargue_sheets (seller_code, date, closed, updated_at) VALUES ($1, $2, 0, $3) \
         ON CONFLICT (seller_code, date) DO NOTHING",
    )
    .bind(seller_code)
    .bind(date)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query_as(&format!(
        "SELECT id, seller_code, date, closed FROM cargue_sheets WHERE seller_code = $1 AND date = $2{}",
        lock.clause()
    ))
    .bind(seller_code)
    .bind(date)
    .fetch_one(&mut **tx)
    .await
}

pub async fn lock_existing(
    tx: &mut Tx<'_>,
    seller_code: &str,
    date: &str,
    lock: RowLock,
) -> Result<Option<SheetRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, seller_code, date, closed FROM cargue_sheets WHERE seller_code = $1 AND date = $2{}",
        lock.clause()
    ))
    .bind(seller_code)
    .bind(date)
    .fetch_optional(&mut **tx)
    .await
}

const LINE_COLUMNS: &str =
    "l.product_id, p.name AS product, l.quantity, l.v, l.d, l.version, l.updated_at";

pub async fn lines<'e>(
    db: impl AnyExecutor<'e>,
    sheet_id: i64,
) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINE_COLUMNS} FROM cargue_lines l LEFT JOIN products p ON p.id = l.product_id \
         WHERE l.sheet_id = $1 ORDER BY l.position, l.product_id"
    ))
    .bind(sheet_id)
    .fetch_all(db)
    .await
}

pub async fn line(
    tx: &mut Tx<'_>,
    sheet_id: i64,
    product_id: i64,
) -> Result<Option<LineRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINE_COLUMNS} FROM cargue_lines l LEFT JOIN products p ON p.id = l.product_id \
         WHERE l.sheet_id = $1 AND l.product_id = $2"
    ))
    .bind(sheet_id)
    .bind(product_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn set_checks(
    tx: &mut Tx<'_>,
    sheet_id: i64,
    product_id: i64,
    v: bool,
    d: bool,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cargue_lines SET v = $1, d = $2, version = version + 1, updated_at = $3 \
         WHERE sheet_id = $4 AND product_id = $5",
    )
    .bind(i64::from(v))
    .bind(i64::from(d))
    .bind(now)
    .bind(sheet_id)
    .bind(product_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn delete_lines(tx: &mut Tx<'_>, sheet_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cargue_lines WHERE sheet_id = $1")
        .bind(sheet_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// One planned line as it is written: where it sits on the sheet, its
/// quantity, its checks and their version.
#[derive(Debug, Clone, Copy)]
pub struct NewLine<'a> {
    pub product_id: i64,
    pub position: i64,
    pub quantity: &'a str,
    pub v: bool,
    pub d: bool,
    pub version: i64,
}

pub async fn insert_line(
    tx: &mut Tx<'_>,
    sheet_id: i64,
    line: NewLine<'_>,
    now: &str,
) -> Result<(), sqlx::Error> {
    let NewLine {
        product_id,
        position,
        quantity,
        v,
        d,
        version,
    } = line;
    sqlx::query(
        "INSERT INTO cargue_lines (sheet_id, product_id, position, quantity, v, d, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(sheet_id)
    .bind(product_id)
    .bind(position)
    .bind(quantity)
    .bind(i64::from(v))
    .bind(i64::from(d))
    .bind(version)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Unlocks a closed sheet (an admin re-opened its settlement).
pub async fn reopen(tx: &mut Tx<'_>, sheet_id: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cargue_sheets SET closed = 0, closed_at = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(sheet_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn close(tx: &mut Tx<'_>, sheet_id: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE cargue_sheets SET closed = 1, closed_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(sheet_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn seller_exists<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE seller_code = $1")
        .bind(seller_code)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}
