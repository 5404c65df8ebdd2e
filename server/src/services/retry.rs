//! Retries of sales kept in error: queued on request, run by a background
//! worker. Any number of instances may run the worker: each due sale is
//! claimed in the database (a lease on `next_attempt_at`) before it runs.
use super::audit::{self, Entry};
use super::backoff::Backoff;
use super::events::{Events, SyncEvent};
use super::sync::{CatalogSnapshot, Uploader, INTERNAL_ERROR};
use super::{Actor, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store;
use chrono::Utc;
use chrono_tz::Tz;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::conflict::{EntityType, Strategy};
use ruta_shared::sync::RetryStatus;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub use ruta_shared::wire::admin::RetryItem;

/// Re-queues the caller's sales (an admin's: anyone's).
pub async fn queue(
    db: &Db,
    events: &Events,
    wake: &Notify,
    actor: &Actor,
    ids: &[i64],
) -> ServiceResult<Vec<RetryItem>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let now = clock::now();
        let mut tx = db.write().begin().await?;
        let sale = store::sales::lock_by_id(&mut tx, id, db.row_lock()).await?;
        let item = match sale {
            Some(s) if actor.is_admin() || s.user_id == actor.user_id => {
                if s.is_accepted() {
                    RetryItem {
                        sale_id: id,
                        sale_number: s.number,
                        status: RetryStatus::AlreadySynced,
                        attempt: None,
                    }
                } else {
                    store::sales::queue_retry(&mut tx, id, &now).await?;
                    let entry = Entry::sale(Some(id), s.local_id.clone(), s.device_id.clone());
                    audit::record(&mut tx, db, actor, SyncAction::Retry, entry).await?;
                    RetryItem {
                        sale_id: id,
                        sale_number: None,
                        status: RetryStatus::Queued,
                        attempt: Some(s.sync_attempt_count + 1),
                    }
                }
            }
            _ => RetryItem {
                sale_id: id,
                sale_number: None,
                status: RetryStatus::NotFound,
                attempt: None,
            },
        };
        tx.commit().await?;
        if item.status == RetryStatus::Queued {
            events.publish(SyncEvent::RetryQueued { sale_id: id });
        }
        out.push(item);
    }
    wake.notify_one();
    Ok(out)
}

/// The retry schedule: about 2 s, 4 s, 8 s … capped at 5 minutes, each
/// scaled by a random factor in [0.5, 1.5).
pub const BACKOFF: Backoff = Backoff {
    base: Duration::from_secs(2),
    cap: Duration::from_secs(300),
};

/// [`BACKOFF`] for a given jitter factor.
pub fn backoff(attempt: i64, jitter: f64) -> Duration {
    BACKOFF.delay(attempt, jitter)
}

/// Due retries read per pass.
const PASS_BATCH: i64 = 50;

pub struct Worker {
    pub db: Db,
    pub events: Events,
    pub timezone: Tz,
    pub wake: Arc<Notify>,
    /// How long a claim holds; a sale whose attempt died with its process
    /// (kill -9) is due again once it runs out.
    pub lease: Duration,
}

impl Worker {
    pub async fn run(self) {
        let mut backlog = false;
        loop {
            // A full batch means more may be due: no pause before the next.
            if !backlog {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                }
            }
            backlog = match self.tick().await {
                Ok(taken) => taken == PASS_BATCH,
                Err(e) => {
                    tracing::warn!(error = %e, "retry worker tick failed");
                    false
                }
            };
        }
    }

    /// One batch of due retries; how many were due.
    async fn tick(&self) -> ServiceResult<i64> {
        let now = clock::now();
        let due = store::sales::due_retries(self.db.read(), &now, PASS_BATCH).await?;
        let taken = due.len() as i64;
        for (id, seen_next) in due {
            let lease = clock::format(Utc::now() + self.lease_length());
            if store::sales::claim_retry(self.db.write(), id, &seen_next, &lease).await? {
                self.attempt(id).await?;
            }
        }
        Ok(taken)
    }

    fn lease_length(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(60))
    }

    async fn attempt(&self, id: i64) -> ServiceResult<()> {
        let Some(sale) = store::sales::by_id(self.db.read(), id).await? else {
            return Ok(());
        };
        let Some(owner) = store::users::by_id(self.db.read(), sale.user_id).await? else {
            return Ok(());
        };
        let actor = Actor {
            user_id: owner.id,
            username: owner.username.clone(),
            role: owner.role().unwrap_or(Role::Seller),
            seller_code: owner.seller_code.clone(),
            token_id: None,
            device_id: sale.device_id.clone(),
            ip: None,
            user_agent: Some("ruta-retry-worker".into()),
        };
        let raw: serde_json::Value = serde_json::from_str(&sale.raw_payload).unwrap_or_default();
        let catalog = CatalogSnapshot::load(&self.db, &[&raw]).await?;
        let strategy = store::sync_config::strategy_for(self.db.read(), EntityType::Sale)
            .await?
            .unwrap_or(Strategy::Manual);
        let sync = Uploader {
            db: &self.db,
            events: &self.events,
            timezone: self.timezone,
            writer: None,
        };
        let result = sync.upload_one(&actor, &raw, &catalog, strategy).await;
        if result.error.as_deref() == Some(INTERNAL_ERROR) {
            // A server fault, not the sale's: try again later.
            let wait = BACKOFF.jittered(sale.sync_attempt_count);
            let next = clock::format(
                Utc::now() + chrono::Duration::from_std(wait).unwrap_or(self.lease_length()),
            );
            let mut tx = self.db.write().begin().await?;
            store::sales::reschedule(&mut tx, id, &next, &clock::now()).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1, 1.0), Duration::from_secs(2));
        assert_eq!(backoff(2, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(4, 1.0), Duration::from_secs(16));
        assert_eq!(backoff(30, 1.0), Duration::from_secs(300));
        assert_eq!(backoff(3, 0.5), Duration::from_secs(4));
        assert!(backoff(3, 1.49) < Duration::from_secs(12));
    }
}
