//! API tokens, stored as SHA-256 hashes of the random secret.
use sqlx::{AnyExecutor, FromRow};

/// A live token joined with its user: everything a request needs to know
/// about who is calling.
#[derive(Debug, Clone, FromRow)]
pub struct TokenOwner {
    pub token_id: i64,
    pub device_id: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub user_id: i64,
    pub username: String,
    pub role: String,
    pub seller_code: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub device_id: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub async fn insert<'e>(
    db: impl AnyExecutor<'e>,
    user_id: i64,
    token_hash: &str,
    device_id: Option<&str>,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO tokens (user_id, token_hash, device_id, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(device_id)
    .bind(now)
    .fetch_one(db)
    .await
}

/// Every live token of the user but `keep` (the caller's own, when an
/// admin resets their own password). Returns the ids revoked.
pub async fn revoke_user<'e>(
    db: impl AnyExecutor<'e>,
    user_id: i64,
    keep: Option<i64>,
    now: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE tokens SET revoked_at = $1 \
         WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .bind(keep.unwrap_or(0))
    .fetch_all(db)
    .await
}

/// One token per (user, device): a new login from a device revokes the
/// device's earlier token. Returns the ids revoked (their open sockets
/// are closed).
pub async fn revoke_device<'e>(
    db: impl AnyExecutor<'e>,
    user_id: i64,
    device_id: &str,
    now: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE tokens SET revoked_at = $1 \
         WHERE user_id = $2 AND device_id = $3 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .bind(device_id)
    .fetch_all(db)
    .await
}

pub async fn owner_of<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
) -> Result<Option<TokenOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id AS token_id, t.device_id, t.created_at, t.last_used_at, u.id AS user_id, u.username, \
                u.role, u.seller_code \
         FROM tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn touch<'e>(
    db: impl AnyExecutor<'e>,
    token_id: i64,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(token_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn revoke<'e>(
    db: impl AnyExecutor<'e>,
    token_id: i64,
    now: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(token_id)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

pub async fn by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, device_id, created_at, last_used_at, revoked_at FROM tokens WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn of_user<'e>(
    db: impl AnyExecutor<'e>,
    user_id: i64,
) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, device_id, created_at, last_used_at, revoked_at \
         FROM tokens WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// A device: a live token that carries a `device_id`.
#[derive(Debug, Clone, FromRow)]
pub struct DeviceRow {
    pub token_id: i64,
    pub device_id: String,
    pub username: String,
    pub seller_code: Option<String>,
    pub last_used_at: Option<String>,
}

const LIVE_DEVICES: &str = "FROM tokens t JOIN users u ON u.id = t.user_id \
     WHERE t.revoked_at IS NULL AND t.device_id IS NOT NULL AND u.active = 1";

/// The most recently seen devices first.
pub async fn devices<'e>(
    db: impl AnyExecutor<'e>,
    limit: i64,
) -> Result<Vec<DeviceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT t.id AS token_id, t.device_id, u.username, u.seller_code, t.last_used_at \
         {LIVE_DEVICES} ORDER BY COALESCE(t.last_used_at, '') DESC, t.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// (devices, devices seen at or after `online_since`).
pub async fn device_counts<'e>(
    db: impl AnyExecutor<'e>,
    online_since: &str,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT COUNT(*), COUNT(CASE WHEN t.last_used_at >= $1 THEN 1 END) {LIVE_DEVICES}"
    ))
    .bind(online_since)
    .fetch_one(db)
    .await
}

/// Whether the token is still unrevoked (a socket re-checks once it has
/// subscribed to revocations, so none falls between the two).
pub async fn is_live<'e>(db: impl AnyExecutor<'e>, token_id: i64) -> Result<bool, sqlx::Error> {
    let live: Option<i64> =
        sqlx::query_scalar("SELECT id FROM tokens WHERE id = $1 AND revoked_at IS NULL")
            .bind(token_id)
            .fetch_optional(db)
            .await?;
    Ok(live.is_some())
}
