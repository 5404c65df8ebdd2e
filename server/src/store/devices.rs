//! Device names.
use super::Tx;
use sqlx::AnyExecutor;
use std::collections::HashMap;

pub async fn set_name(
    tx: &mut Tx<'_>,
    device_id: &str,
    name: &str,
    by: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO device_names (device_id, name, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (device_id) DO UPDATE SET name = $2, updated_by = $3, updated_at = $4",
    )
    .bind(device_id)
    .bind(name)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn name_of<'e>(
    db: impl AnyExecutor<'e>,
    device_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM device_names WHERE device_id = $1")
        .bind(device_id)
        .fetch_optional(db)
        .await
}

/// The names of these devices (those that have one).
pub async fn names_of<'e>(
    db: impl AnyExecutor<'e>,
    device_ids: &[&str],
) -> Result<HashMap<String, String>, sqlx::Error> {
    if device_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT device_id, name FROM device_names WHERE device_id IN ({})",
        super::catalog::placeholders(device_ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in device_ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(db).await?.into_iter().collect())
}

/// Has this user ever signed in from this device?
pub async fn is_users_device<'e>(
    db: impl AnyExecutor<'e>,
    user_id: i64,
    device_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND device_id = $2")
            .bind(user_id)
            .bind(device_id)
            .fetch_one(db)
            .await?;
    Ok(n > 0)
}

/// What a phone said its outbox holds, as of `now`.
pub async fn report_outbox<'e>(
    db: impl AnyExecutor<'e>,
    device_id: &str,
    user_id: i64,
    unsynced: i64,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO device_reports (device_id, user_id, unsynced, reported_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (device_id) DO UPDATE \
         SET user_id = $2, unsynced = $3, reported_at = $4",
    )
    .bind(device_id)
    .bind(user_id)
    .bind(unsynced)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// A phone's last report of its outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxReport {
    pub device_id: String,
    pub unsynced: i64,
    pub reported_at: String,
}

/// The last reports of the seller's devices that still held sales.
pub async fn outbox_reports_of_seller<'e>(
    db: impl AnyExecutor<'e>,
    seller_code: &str,
) -> Result<Vec<OutboxReport>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.device_id, r.unsynced, r.reported_at FROM device_reports r \
         JOIN users u ON u.id = r.user_id \
         WHERE u.seller_code = $1 AND r.unsynced > 0 ORDER BY r.device_id",
    )
    .bind(seller_code)
    .fetch_all(db)
    .await
}
