//! A run's last step: asking the server about this device's open
//! conflicts, since an admin may resolve them elsewhere.
use super::{Problem, SyncService};
use crate::services::api::{self, Method};
use crate::services::outbox::{self, OutboxRecord};
use crate::services::platform::now_ms;
use leptos::prelude::*;
use ruta_shared::planner::LocalState;
use ruta_shared::sale::{SaleView, SyncStatus};

/// Open conflicts asked about per run.
const MAX_CONFLICT_CHECKS: usize = 5;
/// A conflict is asked about again no sooner than this (unless the seller
/// presses "Sincronizar ahora"): 20 open conflicts cost at most 5 requests
/// every 2 minutes, none of them against the sync budget.
const CONFLICT_RECHECK_MS: f64 = 120_000.0;

impl SyncService {
    /// A conflict may be resolved elsewhere (by an admin): such a sale is
    /// synced again on the server, and its copy here becomes the server's.
    /// Asked with the sale's own view (`GET /sales/{id}/`, not throttled),
    /// the least recently asked first, each at most every
    /// `CONFLICT_RECHECK_MS`: a phone with open conflicts left on all day
    /// once spent its whole 50/hour budget on `sync/status` polls.
    pub(super) async fn follow_conflicts(self, token: &str) {
        let now = now_ms();
        let checked = self.engine.with_value(|e| e.conflict_checked_ms.clone());
        let forced = self
            .engine
            .try_update_value(|e| std::mem::take(&mut e.conflicts_due))
            .unwrap_or(false);
        let mut open: Vec<(OutboxRecord, i64, f64)> = self.records.with_untracked(|all| {
            all.iter()
                .filter_map(|r| match r.state {
                    LocalState::Conflict { sale_id, .. } => {
                        let last = checked.get(&sale_id).copied().unwrap_or(0.0);
                        Some((r.clone(), sale_id, last))
                    }
                    _ => None,
                })
                .filter(|(_, _, last)| forced || now - last >= CONFLICT_RECHECK_MS)
                .collect()
        });
        open.sort_by(|a, b| a.2.total_cmp(&b.2));
        let still_open: Vec<i64> = self.records.with_untracked(|all| {
            all.iter()
                .filter_map(|r| match r.state {
                    LocalState::Conflict { sale_id, .. } => Some(sale_id),
                    _ => None,
                })
                .collect()
        });
        self.engine.update_value(|e| {
            e.conflict_checked_ms
                .retain(|id, _| still_open.contains(id))
        });
        for (record, sale_id, _) in open.into_iter().take(MAX_CONFLICT_CHECKS) {
            self.engine
                .update_value(|e| _ = e.conflict_checked_ms.insert(sale_id, now));
            let path = format!("/api/v1/sales/{sale_id}/");
            let Ok(view) = api::call::<SaleView>(Method::Get, &path, token, None).await else {
                return;
            };
            if view.sync_status != SyncStatus::Synced {
                continue;
            }
            let after = outbox::settled_by_server(&record, &view);
            if outbox::save(&after).await.is_err() {
                self.problem.set(Some(Problem::Storage));
            }
            self.replace(after);
        }
    }
}
