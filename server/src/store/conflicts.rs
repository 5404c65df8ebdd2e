//! Conflicts kept for resolution: both copies, the differing fields, who
//! settled them and how.
use super::{Flag, Tx};
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ConflictRow {
    pub id: i64,
    pub sale_id: i64,
    #[sqlx(try_from = "i64")]
    pub open: Flag,
    pub server_version: i64,
    pub client_version: i64,
    pub fields: String,
    pub server_content: String,
    pub client_content: String,
    pub client_device_id: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
}

const COLUMNS: &str = "id, sale_id, open, server_version, client_version, fields, server_content, \
     client_content, client_device_id, created_at, resolved_at, resolution";

pub struct NewConflict<'a> {
    pub sale_id: i64,
    pub server_version: i64,
    pub client_version: i64,
    pub fields: &'a str,
    pub server_content: &'a str,
    pub client_content: &'a str,
    pub client_device_id: Option<&'a str>,
    pub now: &'a str,
}

/// Opens a conflict, or refreshes the sale's open one with the newer
/// client copy (a sale has at most one open conflict).
pub async fn open(tx: &mut Tx<'_>, c: &NewConflict<'_>) -> Result<i64, sqlx::Error> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM sale_conflicts WHERE sale_id = $1 AND open = 1")
            .bind(c.sale_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = existing {
        sqlx::query(
            "UPDATE sale_conflicts SET server_version = $1, client_version = $2, fields = $3, \
             server_content = $4, client_content = $5, client_device_id = $6, created_at = $7 WHERE id = $8",
        )
        .bind(c.server_version)
        .bind(c.client_version)
        .bind(c.fields)
        .bind(c.server_content)
        .bind(c.client_content)
        .bind(c.client_device_id)
        .bind(c.now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        return Ok(id);
    }
    sqlx::query_scalar(
        "INSERT INTO sale_conflicts (sale_id, open, server_version, client_version, fields, \
           server_content, client_content, client_device_id, created_at) \
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.sale_id)
    .bind(c.server_version)
    .bind(c.client_version)
    .bind(c.fields)
    .bind(c.server_content)
    .bind(c.client_content)
    .bind(c.client_device_id)
    .bind(c.now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn open_for_sale(
    tx: &mut Tx<'_>,
    sale_id: i64,
) -> Result<Option<ConflictRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sale_conflicts WHERE sale_id = $1 AND open = 1"
    ))
    .bind(sale_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn close(
    tx: &mut Tx<'_>,
    id: i64,
    resolution: &str,
    by_user: Option<i64>,
    notes: Option<&str>,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sale_conflicts SET open = 0, resolution = $1, resolved_by = $2, notes = $3, \
         resolved_at = $4 WHERE id = $5",
    )
    .bind(resolution)
    .bind(by_user)
    .bind(notes)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn list_open<'e>(
    db: impl AnyExecutor<'e>,
    limit: i64,
) -> Result<Vec<ConflictRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sale_conflicts WHERE open = 1 ORDER BY id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// An open conflict with what the dashboard shows of its sale.
#[derive(Debug, Clone, FromRow)]
pub struct OpenConflictRow {
    pub id: i64,
    pub sale_id: i64,
    pub sale_number: Option<String>,
    pub local_id: String,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub customer_name: Option<String>,
    pub fields: String,
    pub server_version: i64,
    pub client_version: i64,
    pub created_at: String,
    pub server_content: String,
    pub client_content: String,
}

const OPEN_VIEW: &str =
    "SELECT c.id, c.sale_id, s.number AS sale_number, s.local_id, s.seller_code, \
       c.client_device_id AS device_id, cu.name AS customer_name, c.fields, c.server_version, \
       c.client_version, c.created_at, c.server_content, c.client_content \
     FROM sale_conflicts c JOIN sales s ON s.id = c.sale_id \
     LEFT JOIN customers cu ON cu.id = s.customer_id WHERE c.open = 1";

/// Open conflicts, newest first, and how many there are.
pub async fn open_page<'e, E: AnyExecutor<'e> + Copy>(
    db: E,
    page: super::Page,
) -> Result<(i64, Vec<OpenConflictRow>), sqlx::Error> {
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM sale_conflicts WHERE open = 1")
        .fetch_one(db)
        .await?;
    let rows = sqlx::query_as(&format!(
        "{OPEN_VIEW} ORDER BY c.created_at DESC, c.id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(db)
    .await?;
    Ok((count, rows))
}

/// The open conflict of a sale, if any.
pub async fn open_view_of_sale<'e>(
    db: impl AnyExecutor<'e>,
    sale_id: i64,
) -> Result<Option<OpenConflictRow>, sqlx::Error> {
    sqlx::query_as(&format!("{OPEN_VIEW} AND c.sale_id = $1"))
        .bind(sale_id)
        .fetch_optional(db)
        .await
}
