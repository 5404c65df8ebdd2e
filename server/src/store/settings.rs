//! Settings an admin changes at run time, by key.
use sqlx::AnyExecutor;

pub const SYNC_RATE: &str = "sync_rate";
/// The business profile the receipts print (`services::business`), as JSON.
pub const BUSINESS: &str = "business";

pub async fn get<'e>(db: impl AnyExecutor<'e>, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM server_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(db)
        .await
}

pub async fn set<'e>(
    db: impl AnyExecutor<'e>,
    key: &str,
    value: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO server_settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
    )
    .bind(key)
    .bind(value)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Where the status stream's last published presence is kept, so that of
/// several instances only one publishes each change.
pub const PRESENCE: &str = "presence";

/// Sets `key` to `value` only if it still holds `expected` (absent when
/// `None`): `true` when this caller made the change.
pub async fn replace<'e>(
    db: impl AnyExecutor<'e>,
    key: &str,
    expected: Option<&str>,
    value: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = match expected {
        None => {
            sqlx::query(
                "INSERT INTO server_settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(value)
            .bind(now)
            .execute(db)
            .await?
        }
        Some(old) => {
            sqlx::query(
                "UPDATE server_settings SET value = $1, updated_at = $2 \
                 WHERE key = $3 AND value = $4",
            )
            .bind(value)
            .bind(now)
            .bind(key)
            .bind(old)
            .execute(db)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}
