//! One run of the engine: one at a time (a kick during a run makes it go
//! round once more), each sending the shops added offline and the sales in
//! the order the critical flags give, then following open conflicts.
use super::catalog_pull::SALES_FIRST_KEY;
use super::upload::Flow;
use super::{write_last_sync, Problem, SyncService, LAST_SYNC_KEY, TOKEN_META};
use crate::services::platform::{browser_online, now_ms};
use crate::services::{idb, session, storage};
use leptos::prelude::*;

/// One step of a run, in the order the critical flags give.
#[derive(Clone, Copy)]
enum Step {
    Customers,
    Sales,
}

impl SyncService {
    pub(super) async fn run(self) {
        let busy = self.engine.try_update_value(|e| {
            if e.running {
                e.again = true;
                true
            } else {
                e.running = true;
                false
            }
        });
        if busy != Some(false) {
            return;
        }
        loop {
            self.once().await;
            let again = self
                .engine
                .try_update_value(|e| std::mem::take(&mut e.again))
                .unwrap_or(false);
            if !again {
                break;
            }
        }
        self.progress.set(None);
        self.engine.update_value(|e| e.running = false);
    }

    async fn once(self) {
        let Some(s) = session::load() else { return };
        if !browser_online() {
            self.problem.set(Some(Problem::Offline));
            return;
        }
        let _ = idb::set_meta(TOKEN_META, s.token.clone().into()).await;
        self.report_outbox();
        self.pull_catalog(&s.token).await;
        // Critical entity types first (the admin's "crítico"); a sale that
        // names a shop added offline waits for it either way.
        let sales_first = storage::get(SALES_FIRST_KEY).as_deref() == Some("1");
        let steps: &[Step] = if sales_first {
            // The second pass sends the sales that waited for their shop.
            &[Step::Sales, Step::Customers, Step::Sales]
        } else {
            &[Step::Customers, Step::Sales]
        };
        for step in steps {
            let flow = match step {
                Step::Customers => self.push_customers(&s.token).await,
                Step::Sales => self.upload_sales(&s.token).await,
            };
            self.report_outbox();
            match flow {
                Ok(Flow::Go) => {}
                Ok(Flow::Paused) => return,
                Err(e) => return self.failed(e),
            }
        }
        self.follow_conflicts(&s.token).await;
        self.engine.update_value(|e| {
            e.failures = 0;
            e.not_before_ms = 0;
        });
        self.problem.set(None);
        let now = now_ms();
        self.last_ok.set(Some(now));
        storage::set(LAST_SYNC_KEY, &write_last_sync(now));
    }
}
