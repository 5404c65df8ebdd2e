//! The retry worker's queue: sales whose next attempt is due.
use crate::store::Tx;
use ruta_shared::sale::SyncStatus;
use sqlx::AnyExecutor;

/// Puts sales back in the retry queue; returns the new attempt number.
pub async fn queue_retry(tx: &mut Tx<'_>, id: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET sync_status = $3, next_attempt_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .bind(SyncStatus::Pending.as_str())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Sales whose retry is due, oldest first.
pub async fn due_retries<'e>(
    db: impl AnyExecutor<'e>,
    now: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, next_attempt_at FROM sales WHERE sync_status = $3 \
         AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .bind(SyncStatus::Pending.as_str())
    .fetch_all(db)
    .await
}

/// Claims a due retry for this worker by moving its next attempt forward
/// (a lease); only one worker of any instance wins the claim.
pub async fn claim_retry<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
    seen_next: &str,
    lease_until: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE sales SET next_attempt_at = $1 WHERE id = $2 AND sync_status = $4 \
         AND next_attempt_at = $3",
    )
    .bind(lease_until)
    .bind(id)
    .bind(seen_next)
    .bind(SyncStatus::Pending.as_str())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn reschedule(
    tx: &mut Tx<'_>,
    id: i64,
    next: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET next_attempt_at = $1, sync_last_attempt = $2, \
         sync_attempt_count = sync_attempt_count + 1 WHERE id = $3",
    )
    .bind(next)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Sales waiting for the retry worker (queued, whether due or not).
pub async fn retry_queue_len<'e>(db: impl AnyExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM sales WHERE sync_status = $1 AND next_attempt_at IS NOT NULL",
    )
    .bind(SyncStatus::Pending.as_str())
    .fetch_one(db)
    .await
}
