//! Sales: one row per `local_id` (accepted or not), the superseded accepted
//! versions, and the per-year gapless number counter. This module holds
//! the row and its reads by id; the writes, lists, numbers, versions,
//! retry queue and duplicate keys each have a file.
use crate::db::RowLock;
use crate::store::Tx;
use ruta_shared::sale::SyncStatus;
use sqlx::{AnyExecutor, FromRow};

mod batch;
mod keys;
mod list;
mod numbers;
pub mod office;
mod retries;
mod versions;
mod writes;

pub use batch::*;
pub use keys::*;
pub use list::*;
pub use numbers::*;
pub use retries::*;
pub use versions::*;
pub use writes::*;

#[derive(Debug, Clone, FromRow)]
pub struct SaleRow {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub number: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub status: Option<String>,
    pub payment_method: Option<String>,
    #[sqlx(try_from = "String")]
    pub sync_status: SyncStatus,
    pub content: Option<String>,
    pub content_hash: Option<String>,
    pub lines: Option<String>,
    pub subtotal: Option<String>,
    pub discount_total: Option<String>,
    pub tax_total: Option<String>,
    pub total: Option<String>,
    pub raw_payload: String,
    pub error: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub server_timestamp: String,
    pub updated_at: String,
    pub sync_succeeded_at: Option<String>,
    pub sync_last_attempt: Option<String>,
    pub sync_attempt_count: i64,
    pub next_attempt_at: Option<String>,
    pub conflict_resolution: Option<String>,
}

impl SaleRow {
    /// Was some version of this sale ever accepted (it then has a number)?
    pub fn is_accepted(&self) -> bool {
        self.content.is_some()
    }
}

const COLUMNS: &str = "s.id, s.local_id, s.user_id, s.seller_code, s.device_id, s.number, \
     s.customer_id, c.name AS customer_name, s.status, s.payment_method, s.sync_status, s.content, \
     s.content_hash, s.lines, s.subtotal, s.discount_total, s.tax_total, s.total, s.raw_payload, \
     s.error, s.version, s.created_at, s.server_timestamp, s.updated_at, s.sync_succeeded_at, \
     s.sync_last_attempt, s.sync_attempt_count, s.next_attempt_at, s.conflict_resolution";

const FROM: &str = "FROM sales s LEFT JOIN customers c ON c.id = s.customer_id";

/// The lock clause for a `SELECT` of sales joined with their customer:
/// only the sale row is locked.
fn locking_sales(lock: RowLock) -> &'static str {
    match lock {
        RowLock::Implicit => "",
        RowLock::ForUpdate => " FOR UPDATE OF s",
    }
}

/// Reads and (on PostgreSQL) locks the sale with this `local_id`.
pub async fn lock_by_local_id(
    tx: &mut Tx<'_>,
    local_id: &str,
    lock: RowLock,
) -> Result<Option<SaleRow>, sqlx::Error> {
    let lock = locking_sales(lock);
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE s.local_id = $1{lock}"
    ))
    .bind(local_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn lock_by_id(
    tx: &mut Tx<'_>,
    id: i64,
    lock: RowLock,
) -> Result<Option<SaleRow>, sqlx::Error> {
    let lock = locking_sales(lock);
    sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> Result<Option<SaleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}
