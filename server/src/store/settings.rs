//! Settings an admin changes at run time, by key.
use sqlx::AnyExecutor;

pub const SYNC_RATE: &str = "sync_rate";

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
