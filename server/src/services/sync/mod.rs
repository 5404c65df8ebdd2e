//! Sales sync upload: the service behind `POST /sales/sync/upload/` (and
//! the retry worker). Each sale is validated and stored in its own
//! transaction, idempotent on `local_id`, versioned, conflict-aware, and
//! logged in the same transaction as the change.
//!
//! [`Uploader::upload`] (this file) orchestrates one batch: duplicates
//! first, then the new sales together, then everything else one by one.
//! Each job is a file of its own, and each file imports only files listed
//! below it, so there is no cycle:
//!
//! - `pipeline`: the per-sale path, for every sale not answered before;
//! - `edits`: an upload of a sale already accepted (edit, or conflict);
//! - `resolve`: settling a conflict, by strategy here or by a person
//!   through `/sales/sync/resolve/`;
//! - `sale`: what the per-sale files share (context, outcome);
//! - `group_commit`: SQLite only, new sales of concurrent uploads merged
//!   into one transaction;
//! - `new_sales`: new sales that pass every check, stored together;
//! - `duplicates`: retries of accepted sales, answered before any transaction;
//! - `catalog_snapshot`: the customers and products the batch names, read once.
//!
//! A bad sale never joins the group of new sales, and if the group fails as
//! a whole its sales take the per-sale path, so per-sale isolation holds.
pub mod catalog_snapshot;
pub mod duplicates;
mod edits;
pub mod group_commit;
pub mod new_sales;
mod pipeline;
pub mod resolve;
mod sale;

pub use catalog_snapshot::CatalogSnapshot;
pub use group_commit::GroupCommit;
pub use sale::INTERNAL_ERROR;

use crate::db::Db;
use crate::services::audit::{self, Entry};
use crate::services::events::Events;
use crate::services::{Actor, ServiceResult};
use crate::store;
use chrono_tz::Tz;
use duplicates::{duplicate_of_accepted, exact_retry, AcceptedKeys};
use ruta_shared::audit::SyncAction;
use ruta_shared::conflict::{EntityType, Strategy};
use ruta_shared::sync::{ResultStatus, UploadResult};
use sale::SaleContext;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// What the upload needs from the application.
pub struct Uploader<'a> {
    pub db: &'a Db,
    pub events: &'a Events,
    pub timezone: Tz,
    /// SQLite's group writer for new sales (`None`: each upload writes its
    /// own).
    pub writer: Option<&'a GroupCommit>,
}

impl Uploader<'_> {
    pub async fn upload(&self, actor: &Actor, sales: &[Value]) -> ServiceResult<Vec<UploadResult>> {
        let (known, stored) = self.stored_among(sales).await?;
        // A phone re-sending a batch whose answer it lost sends the very same
        // bytes: those need neither the catalog nor a write transaction.
        let exact: Vec<Option<(UploadResult, Entry)>> = sales
            .iter()
            .map(|s| exact_retry(actor, s, &known))
            .collect();
        let needs_catalog = exact.iter().any(Option::is_none);
        let catalog = if needs_catalog {
            let refs: Vec<&Value> = sales.iter().collect();
            CatalogSnapshot::load(self.db, &refs).await?
        } else {
            CatalogSnapshot::default()
        };
        let repeated = new_sales::repeated_keys(sales);
        let mut results: Vec<Option<UploadResult>> = sales.iter().map(|_| None).collect();
        let mut duplicate_log = Vec::new();
        let mut ready = Vec::new();
        for (i, (sale, exact)) in sales.iter().zip(exact).enumerate() {
            match exact.or_else(|| duplicate_of_accepted(actor, sale, &known, &catalog)) {
                Some((result, entry)) => {
                    results[i] = Some(result);
                    duplicate_log.push(entry);
                }
                None => ready.extend(new_sales::candidate(i, sale, &catalog, &stored, &repeated)),
            }
        }
        let mut events = Vec::new();
        // In a transaction of their own, before the batch's: on SQLite the
        // group writer needs the one write connection.
        match self.writer {
            Some(writer) if !ready.is_empty() || !duplicate_log.is_empty() => {
                let duplicates = duplicate_log.clone();
                if let Some(done) = writer.store(actor, ready, duplicates).await {
                    duplicate_log.clear();
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
            }
            None if !ready.is_empty() => {
                let group = [new_sales::Group {
                    actor,
                    sales: &ready,
                    duplicates: &[],
                }];
                match new_sales::store(self.db, self.timezone, &group).await {
                    Ok(Some(done)) => {
                        for s in done.into_iter().flatten() {
                            results[s.index] = Some(s.result);
                            events.push(s.event);
                        }
                    }
                    // Rolled back: each of these sales takes the per-sale path.
                    Ok(None) => tracing::debug!("a new sale was stored meanwhile; per-sale path"),
                    Err(e) => {
                        tracing::warn!(error = %e, "new sales not stored together; per-sale path")
                    }
                }
            }
            _ => {}
        }
        // SQLite has one writer anyway: the rest of the batch shares one
        // transaction and each sale gets a savepoint of its own (still
        // all-or-nothing per sale, still never blocked by another sale's
        // failure), which saves a commit per sale. PostgreSQL keeps a
        // transaction per sale, so concurrent batches do not hold the number
        // counter for a whole batch.
        let per_sale = results.iter().any(Option::is_none);
        // Only the per-sale path can meet a conflict and need the strategy.
        let strategy = if per_sale {
            self.sale_strategy().await?
        } else {
            Strategy::Manual
        };
        let mut outer = if self.db.has_single_writer() && (per_sale || !duplicate_log.is_empty()) {
            Some(self.db.write().begin().await?)
        } else {
            None
        };
        let one_by_one = self.sale_context(actor, &catalog, strategy);
        let mut outage = None;
        for (sale, slot) in sales.iter().zip(results.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let sale = one_by_one.upload_in(sale, outer.as_mut()).await;
            *slot = Some(sale.result);
            events.extend(sale.event);
            outage = outage.or(sale.outage);
        }
        // A duplicate changes no sale, so its log rows need no per-sale
        // transaction: one transaction logs them all.
        if !duplicate_log.is_empty() {
            match outer.as_mut() {
                Some(tx) => {
                    audit::record_many(tx, self.db, actor, SyncAction::Duplicate, duplicate_log)
                        .await?;
                }
                None => {
                    let mut tx = self.db.write().begin().await?;
                    audit::record_many(
                        &mut tx,
                        self.db,
                        actor,
                        SyncAction::Duplicate,
                        duplicate_log,
                    )
                    .await?;
                    tx.commit().await?;
                }
            }
        }
        if let Some(tx) = outer {
            // If this fails nothing of the rest of the batch is stored, and
            // the caller gets a 500: the phone sends the batch again (its new
            // sales, committed above, come back as duplicates).
            tx.commit().await?;
        }
        // Nothing stored because the database is read-only, gone or full:
        // a 503/507 for the batch says so better than "every sale failed".
        if let Some(outage) = outage {
            let all_failed = results
                .iter()
                .all(|r| r.as_ref().is_some_and(|r| r.status == ResultStatus::Error));
            if all_failed {
                return Err(outage);
            }
        }
        for e in events {
            self.events.publish(e);
        }
        let results: Vec<UploadResult> = results
            .into_iter()
            .zip(sales)
            .map(|(r, sale)| {
                r.unwrap_or_else(|| {
                    let local_id = sale.get("local_id").and_then(Value::as_str).unwrap_or("");
                    UploadResult::error(local_id.into(), None, INTERNAL_ERROR.into())
                })
            })
            .collect();
        crate::prometheus::count_upload_results(&results);
        Ok(results)
    }

    async fn sale_strategy(&self) -> Result<Strategy, sqlx::Error> {
        Ok(
            store::sync_config::strategy_for(self.db.read(), EntityType::Sale)
                .await?
                .unwrap_or(Strategy::Manual),
        )
    }

    /// The stored sales among the batch's keys, read once (late retries are
    /// common: a phone that lost a response sends the whole batch again):
    /// the accepted ones by `local_id`, and every stored `local_id`.
    async fn stored_among(
        &self,
        sales: &[Value],
    ) -> Result<(AcceptedKeys, HashSet<String>), sqlx::Error> {
        let ids: Vec<&str> = sales
            .iter()
            .filter_map(|s| s.get("local_id").and_then(Value::as_str))
            .collect();
        let mut known = HashMap::new();
        let mut stored = HashSet::new();
        for chunk in ids.chunks(500) {
            for key in store::sales::stored_keys(self.db.read(), chunk).await? {
                stored.insert(key.local_id.clone());
                if let Some(key) = key.accepted() {
                    known.insert(key.local_id.clone(), key);
                }
            }
        }
        Ok((known, stored))
    }

    /// One sale in a transaction of its own (the retry worker's path);
    /// its event is published once committed.
    pub async fn upload_one(
        &self,
        actor: &Actor,
        raw: &Value,
        catalog: &CatalogSnapshot,
        strategy: Strategy,
    ) -> UploadResult {
        let sale = self
            .sale_context(actor, catalog, strategy)
            .upload_in(raw, None)
            .await;
        if let Some(e) = sale.event {
            self.events.publish(e);
        }
        sale.result
    }

    fn sale_context<'a>(
        &'a self,
        actor: &'a Actor,
        catalog: &'a CatalogSnapshot,
        strategy: Strategy,
    ) -> SaleContext<'a> {
        SaleContext {
            db: self.db,
            timezone: self.timezone,
            actor,
            catalog,
            strategy,
        }
    }
}
