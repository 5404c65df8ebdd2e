//! Appending to the log: rows hashed onto their chain, the chain heads
//! locked and moved in the same transaction.
use super::super::Tx;
use crate::db::Storage;
use ruta_shared::audit::LogContent;
use std::collections::HashMap;

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
