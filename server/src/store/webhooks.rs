//! Webhooks and their deliveries.
//!
//! A delivery is a row that a worker of any instance may send: it is due
//! when `status = 'pending'` and `next_attempt_at <= now`, and a worker
//! claims it by moving `next_attempt_at` to the end of a lease with an
//! `UPDATE … WHERE next_attempt_at = <the value it saw>` (only one claimer
//! matches). The attempt's outcome is written only while that lease holds.
use super::{Flag, Page, Tx};
use crate::db::Storage;
use ruta_shared::webhook::DeliveryStatus;
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    /// Comma-separated event names.
    pub events: String,
    pub secret: String,
    #[sqlx(try_from = "i64")]
    pub active: Flag,
    pub created_at: String,
    pub updated_at: String,
    /// Status of the newest delivery, if any.
    pub last_delivery_status: Option<String>,
}

const WEBHOOK_COLUMNS: &str = "w.id, w.url, w.events, w.secret, w.active, w.created_at, \
     w.updated_at, (SELECT d.status FROM webhook_deliveries d WHERE d.webhook_id = w.id \
     ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS last_delivery_status";

pub async fn count<'e>(db: impl AnyExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhooks")
        .fetch_one(db)
        .await
}

/// Deliveries still to be sent (queued or waiting to be tried again).
pub async fn pending_deliveries<'e>(db: impl AnyExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = $1")
        .bind(ruta_shared::webhook::DeliveryStatus::Pending.as_str())
        .fetch_one(db)
        .await
}

pub async fn list<'e>(
    db: impl AnyExecutor<'e>,
    page: Page,
) -> Result<Vec<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks w ORDER BY w.id LIMIT $1 OFFSET $2"
    ))
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await
}

pub async fn by_id<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
) -> Result<Option<WebhookRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn insert(
    tx: &mut Tx<'_>,
    url: &str,
    events: &str,
    secret: &str,
    active: bool,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhooks (url, events, secret, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(url)
    .bind(events)
    .bind(secret)
    .bind(i64::from(active))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Sets the given fields (`None` keeps the stored value); the number of
/// rows changed (0: no such webhook).
pub async fn update<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
    url: Option<&str>,
    events: Option<&str>,
    active: Option<bool>,
    now: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), \
         active = COALESCE($3, active), updated_at = $4 WHERE id = $5",
    )
    .bind(url)
    .bind(events)
    .bind(active.map(i64::from))
    .bind(now)
    .bind(id)
    .execute(db)
    .await?
    .rows_affected())
}

pub async fn set_secret<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
    secret: &str,
    now: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE webhooks SET secret = $1, updated_at = $2 WHERE id = $3")
            .bind(secret)
            .bind(now)
            .bind(id)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Removes a webhook and its delivery history (explicitly, not relying on
/// SQLite's foreign-key pragma for the cascade).
pub async fn delete(tx: &mut Tx<'_>, id: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(sqlx::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// `(id, events)` of every active webhook.
pub async fn active_subscriptions(tx: &mut Tx<'_>) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, events FROM webhooks WHERE active = 1 ORDER BY id")
        .fetch_all(&mut **tx)
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: i64,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: String,
    pub last_attempt_at: Option<String>,
    pub next_attempt_at: Option<String>,
}

const DELIVERY_COLUMNS: &str = "id, webhook_id, event, payload, status, attempts, \
     response_status, error, created_at, last_attempt_at, next_attempt_at";

/// A delivery to enqueue: due at once (`next_attempt_at = created_at`).
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub id: String,
    pub webhook_id: i64,
    pub event: String,
    pub payload: String,
}

/// Rows per multi-row INSERT.
const ROWS_PER_INSERT: usize = 50;

pub async fn insert_deliveries(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    rows: &[NewDelivery],
    now: &str,
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut m = engine.markers();
        let values: Vec<String> = chunk.iter().map(|_| m.row(7)).collect();
        let sql = format!(
            "INSERT INTO webhook_deliveries \
             (id, webhook_id, event, payload, status, created_at, next_attempt_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q
                .bind(&d.id)
                .bind(d.webhook_id)
                .bind(&d.event)
                .bind(&d.payload)
                .bind(DeliveryStatus::Pending.as_str())
                .bind(now)
                .bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn count_deliveries<'e>(
    db: impl AnyExecutor<'e>,
    webhook_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(webhook_id)
        .fetch_one(db)
        .await
}

/// A webhook's deliveries, newest first.
pub async fn deliveries<'e>(
    db: impl AnyExecutor<'e>,
    webhook_id: i64,
    page: Page,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(webhook_id)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await
}

pub async fn delivery<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
) -> Result<Option<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// `(id, next_attempt_at)` of up to `limit` due deliveries, oldest due first.
pub async fn due<'e>(
    db: impl AnyExecutor<'e>,
    now: &str,
    limit: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, next_attempt_at FROM webhook_deliveries WHERE status = $1 \
         AND next_attempt_at IS NOT NULL AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at LIMIT $3",
    )
    .bind(DeliveryStatus::Pending.as_str())
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Claims a due delivery by moving its next attempt to `lease_until`; only
/// one worker of any instance wins.
pub async fn claim<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
    seen_next: &str,
    lease_until: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE webhook_deliveries SET next_attempt_at = $1 \
         WHERE id = $2 AND status = $3 AND next_attempt_at = $4",
    )
    .bind(lease_until)
    .bind(id)
    .bind(DeliveryStatus::Pending.as_str())
    .bind(seen_next)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct AttemptOutcome<'a> {
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub error: Option<&'a str>,
    pub attempted_at: &'a str,
    /// When to try again (pending only).
    pub next_attempt_at: Option<&'a str>,
}

/// Records an attempt, if this worker still holds the lease it claimed.
pub async fn record_attempt<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
    lease_until: &str,
    outcome: &AttemptOutcome<'_>,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = $2, response_status = $3, \
         error = $4, last_attempt_at = $5, next_attempt_at = $6 \
         WHERE id = $7 AND next_attempt_at = $8",
    )
    .bind(outcome.status.as_str())
    .bind(outcome.attempts)
    .bind(outcome.response_status)
    .bind(outcome.error)
    .bind(outcome.attempted_at)
    .bind(outcome.next_attempt_at)
    .bind(id)
    .bind(lease_until)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Finished (delivered or failed) deliveries created before `before` go.
pub async fn prune_finished<'e>(
    db: impl AnyExecutor<'e>,
    before: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM webhook_deliveries WHERE status <> $1 AND created_at < $2")
            .bind(DeliveryStatus::Pending.as_str())
            .bind(before)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
