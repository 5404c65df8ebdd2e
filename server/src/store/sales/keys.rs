//! What the duplicate check needs of stored sales, read in one query.
use sqlx::{AnyExecutor, FromRow};

/// What a duplicate check needs of an accepted sale.
#[derive(Debug, Clone, FromRow)]
pub struct AcceptedKey {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub device_id: Option<String>,
    pub content_hash: String,
    pub number: Option<String>,
    pub version: i64,
    pub raw_payload: String,
}

/// A stored sale among an upload's keys, accepted or not.
#[derive(Debug, Clone, FromRow)]
pub struct StoredKey {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub device_id: Option<String>,
    pub content_hash: Option<String>,
    pub number: Option<String>,
    pub version: i64,
    pub raw_payload: String,
}

impl StoredKey {
    /// The duplicate-check view, for a sale some version of which was
    /// accepted.
    pub fn accepted(self) -> Option<AcceptedKey> {
        Some(AcceptedKey {
            content_hash: self.content_hash?,
            id: self.id,
            local_id: self.local_id,
            user_id: self.user_id,
            device_id: self.device_id,
            number: self.number,
            version: self.version,
            raw_payload: self.raw_payload,
        })
    }
}

/// The stored sales among `local_ids` (accepted or not), in one query.
pub async fn stored_keys<'e>(
    db: impl AnyExecutor<'e>,
    local_ids: &[&str],
) -> Result<Vec<StoredKey>, sqlx::Error> {
    if local_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, local_id, user_id, device_id, content_hash, number, version, raw_payload FROM sales \
         WHERE local_id IN ({})",
        crate::store::catalog::placeholders(local_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in local_ids {
        q = q.bind(*id);
    }
    q.fetch_all(db).await
}
