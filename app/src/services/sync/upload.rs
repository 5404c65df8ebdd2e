//! A run's sending steps: the shops added offline, then the sales in the
//! planner's batches, with the server's answers settled into the outbox.
use super::{Problem, SyncService};
use crate::services::api::{self, ApiError};
use crate::services::catalog;
use crate::services::outbox::{self, OutboxRecord};
use crate::services::platform::now_ms;
use leptos::prelude::*;
use ruta_shared::planner::{self, Operation, MAX_BATCH};
use ruta_shared::wire::phone_sale::PhoneSale;
use std::collections::HashMap;

/// Whether a run goes on after a step.
pub(super) enum Flow {
    Go,
    /// Waiting for the planner's next attempt (already scheduled).
    Paused,
}

impl SyncService {
    /// Sends the shops added offline; their sales then name the server's ids.
    pub(super) async fn push_customers(self, token: &str) -> Result<Flow, ApiError> {
        let mut catalog = self.catalog.get_untracked();
        if !catalog.customers.iter().any(|c| c.id < 0) {
            return Ok(Flow::Go);
        }
        let pushed = catalog::push_local(token, &mut catalog).await;
        self.catalog.set(catalog);
        // Their sales now name the server's ids (rewritten in storage).
        if let Ok(records) = outbox::all().await {
            self.records.set(records);
        }
        pushed.map(|()| Flow::Go)
    }

    /// Uploads every sale that can go (all but those waiting for a shop
    /// added offline), in the planner's batches; a second call finds only
    /// what the first could not send.
    pub(super) async fn upload_sales(self, token: &str) -> Result<Flow, ApiError> {
        // The page holds the outbox (read at start, updated on every save
        // and when the service worker reports a change).
        let records = self.records.get_untracked();
        let sendable: Vec<_> = records
            .iter()
            .filter(|r| !r.waits_for_customer())
            .map(OutboxRecord::item)
            .collect();
        let not_before = self.engine.with_value(|e| e.not_before_ms);
        let ops = planner::plan(&sendable, true, now_ms() as u64, not_before, MAX_BATCH);
        let total: usize = ops
            .iter()
            .map(|op| match op {
                Operation::Upload(ids) => ids.len(),
                _ => 0,
            })
            .sum();
        let by_id: HashMap<&str, &OutboxRecord> =
            records.iter().map(|r| (r.local_id.as_str(), r)).collect();
        let mut done = 0;
        for op in ops {
            match op {
                Operation::Upload(ids) => {
                    self.progress.set(Some((done, total)));
                    let batch: Vec<&OutboxRecord> = ids
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str()).copied())
                        .collect();
                    let sales: Vec<&PhoneSale> = batch.iter().map(|r| &r.sale).collect();
                    let sent: HashMap<String, f64> = batch
                        .iter()
                        .map(|r| (r.local_id.clone(), r.saved_at))
                        .collect();
                    let response = api::upload(token, sales).await?;
                    let mut changed = Vec::new();
                    self.records.update(|all| {
                        changed = outbox::settle_all(all, &response.results, &sent);
                    });
                    if outbox::store(&changed).await.is_err() {
                        self.problem.set(Some(Problem::Storage));
                    }
                    done += ids.len();
                    self.progress.set(Some((done, total)));
                }
                Operation::WaitUntil(at) => {
                    self.problem.set(Some(Problem::Waiting));
                    self.wake_at(at);
                    return Ok(Flow::Paused);
                }
                Operation::Idle => {}
            }
        }
        Ok(Flow::Go)
    }
}
