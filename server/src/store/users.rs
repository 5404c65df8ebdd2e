//! Users.
use super::{Flag, Page};
use ruta_shared::auth::{Role, SellerCode, UserView};
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub seller_code: Option<String>,
    #[sqlx(try_from = "i64")]
    pub active: Flag,
}

impl UserRow {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id,
            username: self.username.clone(),
            role: self.role().unwrap_or(Role::Seller),
            seller_code: self
                .seller_code
                .as_deref()
                .and_then(|c| SellerCode::parse(c).ok()),
        }
    }
}

const COLUMNS: &str = "id, username, password_hash, role, seller_code, active";

pub async fn insert<'e>(
    db: impl AnyExecutor<'e>,
    username: &str,
    password_hash: &str,
    role: Role,
    seller_code: Option<&str>,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, seller_code, active, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(seller_code)
    .bind(now)
    .fetch_one(db)
    .await
}

pub async fn by_username<'e>(
    db: impl AnyExecutor<'e>,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(db)
        .await
}

pub async fn by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn count<'e>(db: impl AnyExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}

pub async fn list<'e>(db: impl AnyExecutor<'e>, page: Page) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users ORDER BY username LIMIT $1 OFFSET $2"
    ))
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await
}

pub async fn set_password<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
    password_hash: &str,
) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(db)
            .await?
            .rows_affected(),
    )
}

/// Sellers (with a seller code), by code.
pub async fn sellers<'e>(db: impl AnyExecutor<'e>) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE seller_code IS NOT NULL AND active = 1 ORDER BY seller_code"
    ))
    .fetch_all(db)
    .await
}
