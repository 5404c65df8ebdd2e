//! The append-only, hash-chained sync log.
//!
//! Appending locks the chain's head row, so two writers of one chain queue
//! (each seller has its own chain); the database triggers refuse any
//! UPDATE or DELETE of a log row.
use super::{Flag, Tx};
use crate::db::Storage;
use ruta_shared::audit::{LogContent, SyncAction};
use sqlx::{AnyExecutor, FromRow};
use std::collections::HashMap;

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

pub async fn append(
    tx: &mut Tx<'_>,
    c: &LogContent,
    engine: &dyn Storage,
) -> Result<i64, sqlx::Error> {
    let ids = append_many(tx, std::slice::from_ref(c), engine).await?;
    Ok(ids.first().copied().unwrap_or_default())
}

/// Rows per multi-row INSERT.
const ROWS_PER_INSERT: usize = 50;

/// Appends rows, each to its own chain (one chain or several), keeping
/// their order within each chain: the heads are read (and on PostgreSQL
/// locked, in chain order) with one query, the rows go in with multi-row
/// INSERTs, and the heads are updated with one statement.
pub async fn append_many(
    tx: &mut Tx<'_>,
    rows: &[LogContent],
    engine: &dyn Storage,
) -> Result<Vec<i64>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut chains: Vec<&str> = rows.iter().map(|r| r.chain.as_str()).collect();
    chains.sort_unstable();
    chains.dedup();
    let mut heads = read_heads(tx, engine, &chains).await?;
    let missing: Vec<&str> = chains
        .iter()
        .copied()
        .filter(|c| !heads.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        // First row of these chains (or a concurrent first): create the
        // heads, then read them under the lock like any other append.
        let mut m = engine.markers();
        let values: Vec<String> = missing
            .iter()
            .map(|_| format!("({}, '')", m.mark()))
            .collect();
        let sql = format!(
            "INSERT INTO log_heads (chain, last_hash) VALUES {} ON CONFLICT (chain) DO NOTHING",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for c in &missing {
            q = q.bind(*c);
        }
        q.execute(&mut **tx).await?;
        heads.extend(read_heads(tx, engine, &missing).await?);
    }
    // Hashes are chained in memory, then the rows go in with multi-row
    // INSERTs (one round trip per 50 rows instead of one per row).
    let mut hashed = Vec::with_capacity(rows.len());
    for c in rows {
        let prev = heads.entry(c.chain.clone()).or_default();
        let hash = c.chain_hash(prev);
        hashed.push((c, std::mem::replace(prev, hash.clone()), hash));
    }
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in hashed.chunks(ROWS_PER_INSERT) {
        let mut m = engine.markers();
        let values: Vec<String> = chunk.iter().map(|_| m.row(16)).collect();
        let sql = format!(
            "INSERT INTO sync_log (chain, action, user_id, username, seller_code, device_id, ip, user_agent, \
               sale_id, local_id, success, error, timestamp, prev_hash, hash, detail) VALUES {} RETURNING id",
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
                .bind(hash)
                .bind(c.detail.as_ref().map(|d| d.to_string()));
        }
        ids.extend(q.fetch_all(&mut **tx).await?);
    }
    write_heads(tx, engine, &chains, &heads).await?;
    Ok(ids)
}

/// The heads of `chains` (sorted: PostgreSQL locks them in that order, so
/// two multi-chain appends cannot deadlock).
async fn read_heads(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    chains: &[&str],
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut m = engine.markers();
    let list: Vec<String> = chains.iter().map(|_| m.mark()).collect();
    let sql = format!(
        "SELECT chain, last_hash FROM log_heads WHERE chain IN ({}) ORDER BY chain{}",
        list.join(", "),
        engine.row_lock().clause()
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for c in chains {
        q = q.bind(*c);
    }
    Ok(q.fetch_all(&mut **tx).await?.into_iter().collect())
}

/// Sets every chain's head to its new last hash, in one statement.
async fn write_heads(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    chains: &[&str],
    heads: &HashMap<String, String>,
) -> Result<(), sqlx::Error> {
    let mut m = engine.markers();
    let cases: Vec<String> = chains
        .iter()
        .map(|_| format!("WHEN {} THEN {}", m.mark(), m.mark()))
        .collect();
    let list: Vec<String> = chains.iter().map(|_| m.mark()).collect();
    let sql = format!(
        "UPDATE log_heads SET last_hash = CASE chain {} END WHERE chain IN ({})",
        cases.join(" "),
        list.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for c in chains {
        q = q
            .bind(*c)
            .bind(heads.get(*c).map(String::as_str).unwrap_or_default());
    }
    for c in chains {
        q = q.bind(*c);
    }
    q.execute(&mut **tx).await?;
    Ok(())
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

/// `$from, …, $(from + n - 1)` — only ever numbers, never input.
fn marks(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The time of each device's last row among `actions` (its newest row:
/// rows are appended in time order), for the devices listed.
pub async fn last_of_devices<'e>(
    db: impl AnyExecutor<'e>,
    device_ids: &[&str],
    actions: &[&str],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if device_ids.is_empty() || actions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT l.device_id, l.timestamp FROM sync_log l JOIN \
           (SELECT MAX(id) AS id FROM sync_log WHERE device_id IN ({}) AND action IN ({}) \
            GROUP BY device_id) m ON m.id = l.id",
        marks(1, device_ids.len()),
        marks(device_ids.len() + 1, actions.len())
    );
    let mut q = sqlx::query_as(&sql);
    for d in device_ids {
        q = q.bind(*d);
    }
    for a in actions {
        q = q.bind(*a);
    }
    q.fetch_all(db).await
}

/// Rows among `actions` in `[from, to)` per device, most first:
/// (device_id, a seller code of those rows, rows).
///
/// `(action || '')` keeps the planner off the action index: without
/// statistics SQLite otherwise walks every upload row of all time through
/// it instead of today's rows by timestamp (an order of magnitude slower on
/// a large log; BENCHMARKS.md, admin overview).
pub async fn count_by_device<'e>(
    db: impl AnyExecutor<'e>,
    from: &str,
    to: &str,
    actions: &[&str],
    limit: i64,
) -> Result<Vec<(String, Option<String>, i64)>, sqlx::Error> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT device_id, MAX(seller_code), COUNT(*) FROM sync_log \
         WHERE timestamp >= $1 AND timestamp < $2 AND device_id IS NOT NULL AND (action || '') IN ({}) \
         GROUP BY device_id ORDER BY COUNT(*) DESC, device_id LIMIT ${}",
        marks(3, actions.len()),
        actions.len() + 3
    );
    let mut q = sqlx::query_as(&sql).bind(from).bind(to);
    for a in actions {
        q = q.bind(*a);
    }
    q.bind(limit).fetch_all(db).await
}

/// Failed rows between consecutive `bounds` (ascending RFC 3339 UTC
/// texts): `(i, n)` for the rows in `[bounds[i], bounds[i + 1])`; buckets
/// without rows are left out. One query over the `sync_log_failed_time`
/// partial index.
pub async fn failures_between<'e>(
    db: impl AnyExecutor<'e>,
    bounds: &[String],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if bounds.len() < 2 {
        return Ok(Vec::new());
    }
    let last = bounds.len();
    let cases: String = (1..last - 1)
        .map(|i| format!("WHEN timestamp < ${} THEN {} ", i + 1, i - 1))
        .collect();
    let sql = format!(
        "SELECT CAST(CASE {cases}ELSE {} END AS BIGINT) AS bucket, COUNT(*) FROM sync_log \
         WHERE success = 0 AND timestamp >= $1 AND timestamp < ${last} GROUP BY 1",
        last - 2
    );
    let mut q = sqlx::query_as(&sql);
    for b in bounds {
        q = q.bind(b.as_str());
    }
    q.fetch_all(db).await
}
