//! Writing one sale: a new accepted or refused row, a new accepted
//! content on an existing row, and its sync status.
use crate::store::Tx;
use ruta_shared::sale::SyncStatus;
use ruta_shared::sale_number::SaleNumber;

/// The accepted form of a sale, ready to store.
#[derive(Debug, Clone)]
pub struct AcceptedFields {
    pub customer_id: i64,
    pub status: String,
    pub payment_method: String,
    pub content: String,
    pub content_hash: String,
    pub lines: String,
    pub subtotal: String,
    pub discount_total: String,
    pub tax_total: String,
    pub total: String,
}

/// Who sent a sale and when.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    pub user_id: i64,
    pub seller_code: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub created_at: &'a str,
    pub now: &'a str,
    pub raw_payload: &'a str,
}

/// Inserts a new accepted sale; `None` when another transaction stored the
/// same `local_id` first (the caller starts over).
pub async fn insert_accepted(
    tx: &mut Tx<'_>,
    local_id: &str,
    number: &SaleNumber,
    a: &AcceptedFields,
    o: &Origin<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sales (local_id, user_id, seller_code, device_id, number, customer_id, status, \
           payment_method, sync_status, content, content_hash, lines, subtotal, discount_total, tax_total, \
           total, raw_payload, error, version, created_at, server_timestamp, updated_at, sync_succeeded_at, \
           sync_last_attempt, sync_attempt_count, accepted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $19, $9, $10, $11, $12, $13, $14, $15, $16, NULL, 1, \
           $17, $18, $18, $18, $18, 1, $18) \
         ON CONFLICT (local_id) DO NOTHING RETURNING id",
    )
    .bind(local_id)
    .bind(o.user_id)
    .bind(o.seller_code)
    .bind(o.device_id)
    .bind(number.as_str())
    .bind(a.customer_id)
    .bind(&a.status)
    .bind(&a.payment_method)
    .bind(&a.content)
    .bind(&a.content_hash)
    .bind(&a.lines)
    .bind(&a.subtotal)
    .bind(&a.discount_total)
    .bind(&a.tax_total)
    .bind(&a.total)
    .bind(o.raw_payload)
    .bind(o.created_at)
    .bind(o.now)
    .bind(SyncStatus::Synced.as_str())
    .fetch_optional(&mut **tx)
    .await
}

/// Keeps a refused upload (raw payload and error) so it can be retried.
pub async fn insert_error(
    tx: &mut Tx<'_>,
    local_id: &str,
    customer_id: Option<i64>,
    error: &str,
    o: &Origin<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sales (local_id, user_id, seller_code, device_id, customer_id, sync_status, \
           raw_payload, error, version, created_at, server_timestamp, updated_at, sync_last_attempt, \
           sync_attempt_count) \
         VALUES ($1, $2, $3, $4, $5, $10, $6, $7, 1, $8, $9, $9, $9, 1) \
         ON CONFLICT (local_id) DO NOTHING RETURNING id",
    )
    .bind(local_id)
    .bind(o.user_id)
    .bind(o.seller_code)
    .bind(o.device_id)
    .bind(customer_id)
    .bind(o.raw_payload)
    .bind(error)
    .bind(o.created_at)
    .bind(o.now)
    .bind(SyncStatus::Error.as_str())
    .fetch_optional(&mut **tx)
    .await
}

/// A never-accepted sale failed again.
pub async fn mark_error(
    tx: &mut Tx<'_>,
    id: i64,
    raw_payload: &str,
    error: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET sync_status = $5, raw_payload = $1, error = $2, updated_at = $3, \
         sync_last_attempt = $3, sync_attempt_count = sync_attempt_count + 1, next_attempt_at = NULL \
         WHERE id = $4",
    )
    .bind(raw_payload)
    .bind(error)
    .bind(now)
    .bind(id)
    .bind(SyncStatus::Error.as_str())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Why an existing row gets a new accepted content, and what comes with
/// it: a first acceptance after errors takes its number and keeps the
/// payload it came in; an edit may come from another device; a
/// resolution records the strategy that settled it.
#[derive(Debug, Clone, Copy)]
pub enum Acceptance<'a> {
    First {
        number: &'a SaleNumber,
        device_id: Option<&'a str>,
        raw_payload: &'a str,
    },
    Edit {
        device_id: Option<&'a str>,
    },
    Resolution {
        strategy: &'a str,
    },
}

/// Stores a new accepted content on an existing row.
pub async fn store_accepted(
    tx: &mut Tx<'_>,
    id: i64,
    version: i64,
    a: &AcceptedFields,
    why: Acceptance<'_>,
    now: &str,
) -> Result<(), sqlx::Error> {
    let (number, device_id, raw_payload, resolution) = match why {
        Acceptance::First {
            number,
            device_id,
            raw_payload,
        } => (Some(number.as_str()), device_id, Some(raw_payload), None),
        Acceptance::Edit { device_id } => (None, device_id, None, None),
        Acceptance::Resolution { strategy } => (None, None, None, Some(strategy)),
    };
    sqlx::query(
        "UPDATE sales SET number = COALESCE(number, $1), version = $2, customer_id = $3, status = $4, \
           payment_method = $5, sync_status = $18, content = $6, content_hash = $7, lines = $8, \
           subtotal = $9, discount_total = $10, tax_total = $11, total = $12, \
           device_id = COALESCE($13, device_id), raw_payload = COALESCE($14, raw_payload), error = NULL, \
           conflict_resolution = COALESCE($15, conflict_resolution), updated_at = $16, \
           sync_succeeded_at = $16, sync_last_attempt = $16, next_attempt_at = NULL, \
           accepted_at = COALESCE(accepted_at, $16), \
           sync_attempt_count = sync_attempt_count + 1 \
         WHERE id = $17",
    )
    .bind(number)
    .bind(version)
    .bind(a.customer_id)
    .bind(&a.status)
    .bind(&a.payment_method)
    .bind(&a.content)
    .bind(&a.content_hash)
    .bind(&a.lines)
    .bind(&a.subtotal)
    .bind(&a.discount_total)
    .bind(&a.tax_total)
    .bind(&a.total)
    .bind(device_id)
    .bind(raw_payload)
    .bind(resolution)
    .bind(now)
    .bind(id)
    .bind(SyncStatus::Synced.as_str())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn set_sync_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: SyncStatus,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sales SET sync_status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Bumps the version without changing content (a server-wins resolution).
pub async fn settle_unchanged(
    tx: &mut Tx<'_>,
    id: i64,
    version: i64,
    resolution: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET version = $1, sync_status = $5, conflict_resolution = $2, \
         updated_at = $3, sync_succeeded_at = $3 WHERE id = $4",
    )
    .bind(version)
    .bind(resolution)
    .bind(now)
    .bind(id)
    .bind(SyncStatus::Synced.as_str())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
