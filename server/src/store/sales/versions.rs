//! The superseded accepted versions of a sale.
use crate::store::Tx;

/// Keeps a superseded accepted version (for late-retry duplicates and as
/// the base of a three-way merge).
pub async fn archive_version(
    tx: &mut Tx<'_>,
    sale_id: i64,
    version: i64,
    content: &str,
    content_hash: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sale_versions (sale_id, version, content, content_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sale_id, version) DO NOTHING",
    )
    .bind(sale_id)
    .bind(version)
    .bind(content)
    .bind(content_hash)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn has_version_hash(
    tx: &mut Tx<'_>,
    sale_id: i64,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sale_versions WHERE sale_id = $1 AND content_hash = $2",
    )
    .bind(sale_id)
    .bind(hash)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

pub async fn version_content(
    tx: &mut Tx<'_>,
    sale_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT content FROM sale_versions WHERE sale_id = $1 AND version = $2")
        .bind(sale_id)
        .bind(version)
        .fetch_optional(&mut **tx)
        .await
}
