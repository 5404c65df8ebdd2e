//! What every handler can reach.
use crate::config::Config;
use crate::db::Db;
use crate::services::devices::OutboxReports;
use crate::services::events::Events;
use crate::services::login_guard::LoginGuard;
use crate::services::streams::Hub;
use crate::services::sync::{GroupCommit, Uploader};
use crate::services::throttle::Throttle;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub events: Events,
    pub hub: Hub,
    pub throttle: Arc<Throttle>,
    pub login_guard: Arc<LoginGuard>,
    /// What each phone last reported of its outbox, so a report is stored
    /// when it changes rather than with every request.
    pub outbox_reports: Arc<OutboxReports>,
    pub retry_wake: Arc<Notify>,
    /// Rouses the webhook delivery worker when deliveries are queued.
    pub webhook_wake: Arc<Notify>,
    /// SQLite: the group writer of new sales (see `services::sync::group_commit`).
    pub group_commit: Option<GroupCommit>,
    pub leptos: LeptosOptions,
    /// The graceful stop's signal (WebSockets close with 1012 on it).
    pub shutdown: crate::shutdown::Shutdown,
}

impl AppState {
    pub fn sync(&self) -> Uploader<'_> {
        Uploader {
            db: &self.db,
            events: &self.events,
            timezone: self.config.timezone,
            writer: self.group_commit.as_ref(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}
