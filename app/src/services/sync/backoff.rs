//! After a failed run: what the pages are told, and when the next run
//! starts (the planner's backoff with jitter, or the server's
//! `Retry-After`), one timer per wake-up time.
use super::{Problem, SyncService};
use crate::services::api::ApiError;
use crate::services::platform::{browser_online, now_ms};
use leptos::prelude::*;
use ruta_shared::planner;

/// Spreads the retries of many phones that lost the network together.
fn jitter() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        0.5 + js_sys::Math::random()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        1.0
    }
}

impl SyncService {
    pub(super) fn failed(self, error: ApiError) {
        let problem = match error {
            ApiError::Unauthorized => Problem::SessionExpired,
            ApiError::Unreachable if !browser_online() => Problem::Offline,
            _ => Problem::Waiting,
        };
        self.problem.set(Some(problem));
        if problem == Problem::SessionExpired {
            return;
        }
        let retry_after = match error {
            ApiError::Throttled(seconds) => seconds,
            _ => None,
        };
        let now = now_ms() as u64;
        let at = self.engine.try_update_value(|e| {
            e.failures = e.failures.saturating_add(1);
            e.not_before_ms = planner::next_attempt(now, e.failures - 1, retry_after, jitter());
            e.not_before_ms
        });
        if let Some(at) = at {
            self.wake_at(at);
        }
    }

    /// One timer per wake-up time: a run at `at` retries the outbox.
    pub(super) fn wake_at(self, at: u64) {
        let fresh = self.engine.try_update_value(|e| {
            let fresh = e.wake_scheduled_for != at;
            e.wake_scheduled_for = at;
            fresh
        });
        #[cfg(feature = "hydrate")]
        if fresh == Some(true) {
            let delay = at.saturating_sub(now_ms() as u64).min(u32::MAX as u64) as u32;
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(delay).await;
                self.run().await;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = fresh;
    }
}
