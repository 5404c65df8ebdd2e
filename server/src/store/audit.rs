//! The append-only, hash-chained sync log.
//!
//! Appending locks the chain's head row, so two writers of one chain queue
//! (each seller has its own chain); the database triggers refuse any
//! UPDATE or DELETE of a log row.
use super::{Flag, Tx};
use ruta_shared::audit::{LogContent, SyncAction};
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
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
        })
    }
}

const COLUMNS: &str = "id, chain, action, user_id, username, seller_code, device_id, ip, \
     user_agent, sale_id, local_id, success, error, timestamp, prev_hash, hash";

pub async fn append(tx: &mut Tx<'_>, c: &LogContent, for_update: &str) -> Result<i64, sqlx::Error> {
    let ids = append_many(tx, std::slice::from_ref(c), for_update).await?;
    Ok(ids.first().copied().unwrap_or_default())
}

/// Appends rows of one chain in order, reading and updating the chain head
/// once for all of them.
pub async fn append_many(
    tx: &mut Tx<'_>,
    rows: &[LogContent],
    for_update: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let chain = &first.chain;
    let head_sql = format!("SELECT last_hash FROM log_heads WHERE chain = $1{for_update}");
    let head: Option<String> = sqlx::query_scalar(&head_sql)
        .bind(chain)
        .fetch_optional(&mut **tx)
        .await?;
    let mut prev = match head {
        Some(h) => h,
        None => {
            // First row of this chain (or a concurrent first): create the
            // head, then read it under the lock like any other append.
            sqlx::query("INSERT INTO log_heads (chain, last_hash) VALUES ($1, '') ON CONFLICT (chain) DO NOTHING")
                .bind(chain)
                .execute(&mut **tx)
                .await?;
            sqlx::query_scalar(&head_sql)
                .bind(chain)
                .fetch_one(&mut **tx)
                .await?
        }
    };
    // Hashes are chained in memory, then the rows go in with multi-row
    // INSERTs (one round trip per 50 rows instead of one per row).
    let mut hashed = Vec::with_capacity(rows.len());
    for c in rows {
        debug_assert_eq!(&c.chain, chain);
        let hash = c.chain_hash(&prev);
        hashed.push((c, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in hashed.chunks(50) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p: Vec<String> = (1..=15).map(|c| format!("${}", r * 15 + c)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sync_log (chain, action, user_id, username, seller_code, device_id, ip, user_agent, \
               sale_id, local_id, success, error, timestamp, prev_hash, hash) VALUES {} RETURNING id",
            values.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for (c, prev_hash, hash) in chunk {
            q = q
                .bind(&c.chain)
                .bind(c.action.as_str())
                .bind(c.user_id)
                .bind(&c.username)
                .bind(&c.seller_code)
                .bind(&c.device_id)
                .bind(&c.ip)
                .bind(&c.user_agent)
                .bind(c.sale_id)
                .bind(&c.local_id)
                .bind(i64::from(c.success))
                .bind(&c.error)
                .bind(&c.timestamp)
                .bind(prev_hash)
                .bind(hash);
        }
        ids.extend(q.fetch_all(&mut **tx).await?);
    }
    sqlx::query("UPDATE log_heads SET last_hash = $1 WHERE chain = $2")
        .bind(&prev)
        .bind(chain)
        .execute(&mut **tx)
        .await?;
    Ok(ids)
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
