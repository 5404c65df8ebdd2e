//! Settlements (one per seller and date), their versions, and the day's
//! sales they are computed from.
use super::Tx;
use crate::db::RowLock;
use ruta_shared::sale::SyncStatus;
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct SettlementRow {
    pub version: i64,
    pub state: String,
    /// `{"<product_id>": "<left>"}`.
    pub counted: String,
    pub cash_counted: String,
    pub settled_by: String,
    pub settled_at: String,
    pub reopened_by: Option<String>,
    pub reopened_at: Option<String>,
    pub reopen_reason: Option<String>,
}

const COLUMNS: &str = "version, state, counted, cash_counted, settled_by, settled_at, \
     reopened_by, reopened_at, reopen_reason";

pub async fn get<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
    date: &str,
) -> Result<Option<SettlementRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM settlements WHERE seller_code = $1 AND date = $2"
    ))
    .bind(seller_code)
    .bind(date)
    .fetch_optional(db)
    .await
}

pub async fn lock(
    tx: &mut Tx<'_>,
    seller_code: &str,
    date: &str,
    lock: RowLock,
) -> Result<Option<SettlementRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM settlements WHERE seller_code = $1 AND date = $2{}",
        lock.clause()
    ))
    .bind(seller_code)
    .bind(date)
    .fetch_optional(&mut **tx)
    .await
}

/// Which of these dates of the seller have a settlement (settled or
/// re-opened).
pub async fn settled_dates<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
    dates: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    if dates.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (2..=dates.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT date FROM settlements WHERE seller_code = $1 AND date IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query_scalar(&sql).bind(seller_code);
    for d in dates {
        q = q.bind(d.clone());
    }
    q.fetch_all(db).await
}

/// A count as it is stored.
#[derive(Debug, Clone, Copy)]
pub struct Settled<'a> {
    pub seller_code: &'a str,
    pub date: &'a str,
    pub version: i64,
    pub state: &'a str,
    pub counted: &'a str,
    pub cash_counted: &'a str,
    pub settled_by: &'a str,
    pub now: &'a str,
}

/// Writes the count as version `s.version` (insert or replace), clearing
/// any re-opening.
pub async fn save(tx: &mut Tx<'_>, s: Settled<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settlements (seller_code, date, version, state, counted, cash_counted, \
           settled_by, settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (seller_code, date) DO UPDATE SET version = $3, state = $4, counted = $5, \
           cash_counted = $6, settled_by = $7, settled_at = $8, reopened_by = NULL, \
           reopened_at = NULL, reopen_reason = NULL",
    )
    .bind(s.seller_code)
    .bind(s.date)
    .bind(s.version)
    .bind(s.state)
    .bind(s.counted)
    .bind(s.cash_counted)
    .bind(s.settled_by)
    .bind(s.now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Keeps what a version said (the settlement view as JSON).
pub async fn keep_version(
    tx: &mut Tx<'_>,
    seller_code: &str,
    date: &str,
    version: i64,
    snapshot: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settlement_versions (seller_code, date, version, snapshot, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(seller_code)
    .bind(date)
    .bind(version)
    .bind(snapshot)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn versions<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
    date: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, snapshot FROM settlement_versions WHERE seller_code = $1 AND date = $2 \
         ORDER BY version",
    )
    .bind(seller_code)
    .bind(date)
    .fetch_all(db)
    .await
}

/// Marks the settlement re-opened by `by`, with the reason.
pub async fn reopen(
    tx: &mut Tx<'_>,
    seller_code: &str,
    date: &str,
    state: &str,
    by: &str,
    reason: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE settlements SET state = $1, reopened_by = $2, reopened_at = $3, reopen_reason = $4 \
         WHERE seller_code = $5 AND date = $6",
    )
    .bind(state)
    .bind(by)
    .bind(now)
    .bind(reason)
    .bind(seller_code)
    .bind(date)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A sale of the day as the settlement reads it: the accepted content
/// when there is one, else only where it stands and on which device.
#[derive(Debug, Clone, FromRow)]
pub struct DaySaleRow {
    pub id: i64,
    pub number: Option<String>,
    pub device_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub sync_status: SyncStatus,
    pub content: Option<String>,
    pub total: Option<String>,
    pub accepted_at: Option<String>,
}

/// The seller's sales created in `[from, to)` (RFC 3339 UTC bounds: the
/// business day), through the `sales_seller_created` index.
pub async fn day_sales<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
    from: &str,
    to: &str,
) -> Result<Vec<DaySaleRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number, device_id, sync_status, content, total, accepted_at FROM sales \
         WHERE seller_code = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id",
    )
    .bind(seller_code)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// When this device last had a sale accepted.
pub async fn last_sync_of<'e>(
    db: impl AnyExecutor<'e>,
    device_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(sync_succeeded_at) FROM sales WHERE device_id = $1")
        .bind(device_id)
        .fetch_one(db)
        .await
}

/// An accepted sale as the daily report reads it.
#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub seller_code: Option<String>,
    pub created_at: String,
    pub status: Option<String>,
    pub payment_method: Option<String>,
    pub total: Option<String>,
}

/// Accepted sales created in `[from, to)` (RFC 3339 UTC bounds), of one
/// seller or of all, through the `sales_seller_created` / `sales_created`
/// indexes.
pub async fn report_sales<'e>(
    db: impl AnyExecutor<'e>,
    from: &str,
    to: &str,
    seller_code: Option<&str>,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    const COLUMNS: &str = "seller_code, created_at, status, payment_method, total";
    match seller_code {
        Some(code) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM sales WHERE seller_code = $1 AND created_at >= $2 \
                 AND created_at < $3 AND content IS NOT NULL"
            ))
            .bind(code)
            .bind(from)
            .bind(to)
            .fetch_all(db)
            .await
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM sales WHERE created_at >= $1 AND created_at < $2 \
                 AND content IS NOT NULL"
            ))
            .bind(from)
            .bind(to)
            .fetch_all(db)
            .await
        }
    }
}
