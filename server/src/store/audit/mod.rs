//! The append-only, hash-chained sync log.
//!
//! Appending locks the chain's head row, so two writers of one chain queue
//! (each seller has its own chain); the database triggers refuse any
//! UPDATE or DELETE of a log row.
//!
//! `append` writes rows and chain heads; `activity` answers the
//! dashboard's per-device questions.
mod activity;
mod append;

use super::Flag;
pub use activity::{count_by_device, failures_between, last_of_devices};
pub use append::{append, append_many};
use ruta_shared::audit::{LogContent, SyncAction};
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct LogRow {
    pub id: i64,
    pub chain: String,
    pub action: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub sale_id: Option<i64>,
    pub local_id: Option<String>,
    #[sqlx(try_from = "i64")]
    pub success: Flag,
    pub error: Option<String>,
    pub timestamp: String,
    pub prev_hash: String,
    pub hash: String,
    /// JSON text; answered as the JSON it holds.
    pub detail: Option<String>,
}

impl From<LogRow> for ruta_shared::wire::admin::LogEntry {
    fn from(row: LogRow) -> Self {
        Self {
            detail: row
                .detail
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
            id: row.id,
            chain: row.chain,
            action: row.action,
            user_id: row.user_id,
            username: row.username,
            seller_code: row.seller_code,
            device_id: row.device_id,
            ip: row.ip,
            user_agent: row.user_agent,
            sale_id: row.sale_id,
            local_id: row.local_id,
            success: row.success.0,
            error: row.error,
            timestamp: row.timestamp,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

impl LogRow {
    pub fn content(&self) -> Option<LogContent> {
        Some(LogContent {
            chain: self.chain.clone(),
            action: SyncAction::parse(&self.action)?,
            user_id: self.user_id,
            username: self.username.clone(),
            seller_code: self.seller_code.clone(),
            device_id: self.device_id.clone(),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
            sale_id: self.sale_id,
            local_id: self.local_id.clone(),
            success: self.success.0,
            error: self.error.clone(),
            timestamp: self.timestamp.clone(),
            detail: match &self.detail {
                Some(text) => Some(serde_json::from_str(text).ok()?),
                None => None,
            },
        })
    }
}

const COLUMNS: &str = "id, chain, action, user_id, username, seller_code, device_id, ip, \
     user_agent, sale_id, local_id, success, error, timestamp, prev_hash, hash, detail";

/// Every log row about one sale, oldest first (at most `limit`).
pub async fn of_sale<'e>(
    db: impl AnyExecutor<'e>,
    sale_id: i64,
    limit: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sync_log WHERE sale_id = $1 ORDER BY id LIMIT $2"
    ))
    .bind(sale_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub action: Option<String>,
    pub device_id: Option<String>,
    pub seller_code: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Rows with an id below this (the cursor), newest first.
    pub before_id: Option<i64>,
}

pub async fn page<'e>(
    db: impl AnyExecutor<'e>,
    f: &LogFilter,
    limit: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let text_filters = [
        ("action", &f.action),
        ("device_id", &f.device_id),
        ("seller_code", &f.seller_code),
    ];
    for (column, value) in &text_filters {
        if value.is_some() {
            conditions.push(format!("{column} = {}", next()));
        }
    }
    if f.since.is_some() {
        conditions.push(format!("timestamp >= {}", next()));
    }
    if f.until.is_some() {
        conditions.push(format!("timestamp <= {}", next()));
    }
    if f.before_id.is_some() {
        conditions.push(format!("id < {}", next()));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM sync_log WHERE {} ORDER BY id DESC LIMIT {}",
        conditions.join(" AND "),
        next()
    );
    let mut q = sqlx::query_as(&sql);
    for (_, value) in &text_filters {
        if let Some(v) = value {
            q = q.bind(v.clone());
        }
    }
    for v in [&f.since, &f.until].into_iter().flatten() {
        q = q.bind(v.clone());
    }
    if let Some(id) = f.before_id {
        q = q.bind(id);
    }
    q.bind(limit).fetch_all(db).await
}

/// One chain's rows in order, from `after_id`, for verification in pages.
pub async fn chain_rows<'e>(
    db: impl AnyExecutor<'e>,
    chain: &str,
    after_id: i64,
    limit: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sync_log WHERE chain = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(chain)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn chains<'e>(db: impl AnyExecutor<'e>) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT chain, last_hash FROM log_heads ORDER BY chain")
        .fetch_all(db)
        .await
}
