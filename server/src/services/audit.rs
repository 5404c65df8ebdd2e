//! Building sync-log rows from what happened and who did it.
use super::Actor;
use crate::clock;
use crate::db::Db;
use crate::store::{self, Tx};
use ruta_shared::audit::{LogContent, SyncAction, SYSTEM_CHAIN};

/// What one log row records beyond the actor.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub sale_id: Option<i64>,
    pub local_id: Option<String>,
    pub device_id: Option<String>,
    pub error: Option<String>,
    pub detail: Option<serde_json::Value>,
}

impl Entry {
    /// A row about something other than one sale: what changed.
    pub fn about(detail: serde_json::Value) -> Self {
        Self {
            detail: Some(detail),
            ..Self::default()
        }
    }
    pub fn sale(
        sale_id: Option<i64>,
        local_id: impl Into<String>,
        device_id: Option<String>,
    ) -> Self {
        Self {
            sale_id,
            local_id: Some(local_id.into()),
            device_id,
            error: None,
            detail: None,
        }
    }
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }
    pub fn failed(mut self, error: impl Into<String>) -> Self {
        self.error = Some(error.into());
        self
    }
}

pub fn content(actor: &Actor, action: SyncAction, e: Entry) -> LogContent {
    let chain = actor
        .seller_code
        .clone()
        .unwrap_or_else(|| SYSTEM_CHAIN.to_owned());
    LogContent {
        chain,
        action,
        user_id: Some(actor.user_id).filter(|id| *id != super::SYSTEM_USER_ID),
        username: Some(actor.username.clone()),
        seller_code: actor.seller_code.clone(),
        // The sale's device if it named one, else the token's.
        device_id: e.device_id.or_else(|| actor.device_id.clone()),
        ip: actor.ip.clone(),
        user_agent: actor.user_agent.clone(),
        sale_id: e.sale_id,
        local_id: e.local_id,
        success: e.error.is_none(),
        error: e.error,
        timestamp: clock::now(),
        detail: e.detail,
    }
}

/// Appends inside the caller's transaction (same commit as the change).
pub async fn record(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    action: SyncAction,
    e: Entry,
) -> Result<i64, sqlx::Error> {
    store::audit::append(tx, &content(actor, action, e), &**db).await
}

/// Appends several rows by one actor (one chain) in the caller's transaction.
pub async fn record_many(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    action: SyncAction,
    entries: Vec<Entry>,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<_> = entries
        .into_iter()
        .map(|e| content(actor, action, e))
        .collect();
    store::audit::append_many(tx, &rows, &**db).await
}

/// Appends in a transaction of its own (for events with no other change).
pub async fn record_alone(
    db: &Db,
    actor: &Actor,
    action: SyncAction,
    e: Entry,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.write().begin().await?;
    let id = record(&mut tx, db, actor, action, e).await?;
    tx.commit().await?;
    Ok(id)
}

pub use crate::store::audit::{LogFilter, LogRow};
pub use ruta_shared::wire::admin::Verification;

/// Up to `limit` rows of the log, newest first, from the filter's cursor.
pub async fn page(db: &Db, filter: &LogFilter, limit: i64) -> Result<Vec<LogRow>, sqlx::Error> {
    store::audit::page(db.read(), filter, limit).await
}

/// Recomputes every chain from its first row and compares with the stored
/// hashes and with the chain head.
pub async fn verify(db: &Db) -> Result<Verification, sqlx::Error> {
    const PAGE: i64 = 5_000;
    let mut rows = 0;
    for (chain, head) in store::audit::chains(db.read()).await? {
        let mut prev = String::new();
        let mut after = 0;
        let mut last_id = 0;
        loop {
            let page = store::audit::chain_rows(db.read(), &chain, after, PAGE).await?;
            for row in &page {
                let recomputed = row.content().map(|c| c.chain_hash(&prev));
                if row.prev_hash != prev || recomputed.as_deref() != Some(row.hash.as_str()) {
                    return Ok(Verification {
                        ok: false,
                        rows,
                        chain: Some(chain),
                        first_bad_row: Some(row.id),
                    });
                }
                prev = row.hash.clone();
                last_id = row.id;
                rows += 1;
            }
            match page.last() {
                Some(last) if page.len() as i64 == PAGE => after = last.id,
                _ => break,
            }
        }
        if prev != head {
            // Rows were removed from the end of the chain: the last row
            // still there is where the chain stops matching its head.
            return Ok(Verification {
                ok: false,
                rows,
                chain: Some(chain),
                first_bad_row: Some(last_id),
            });
        }
    }
    Ok(Verification {
        ok: true,
        rows,
        chain: None,
        first_bad_row: None,
    })
}
