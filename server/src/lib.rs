//! Ruta's server: the sales sync API, catalog, auth and audit log, plus
//! the server-rendered Leptos pages.
//!
//! Layout: [`http`] (routes → thin handlers) → [`services`] (domain rules,
//! transactions) → [`store`] (SQL per aggregate) over [`db`]. The rules
//! themselves (money, validation, conflicts) live in `ruta-shared`.
// Leptos's typed views of the cargue pages nest deeper than the default 128.
#![recursion_limit = "256"]
pub mod backup;
pub mod clock;
pub mod config;
pub mod db;
pub mod http;
pub mod prometheus;
pub mod runtime_config;
mod serve;
pub mod services;
pub mod shutdown;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod tls;

use axum::Router;
use config::Config;
use db::{Db, DbError};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use services::events::Events;
use services::login_guard::LoginGuard;
use services::retry::Worker;
use services::sync::GroupCommit;
use services::throttle::Throttle;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Notify;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// A built server, bound to its listener and ready to run.
pub struct Application {
    listener: TcpListener,
    /// `RUTA_METRICS_ADDR`: `/metrics` without a token, on its own port.
    metrics_listener: Option<TcpListener>,
    router: Router,
    state: AppState,
}

fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    LeptosOptions::builder()
        .output_name("ruta")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

impl Application {
    /// Connects, migrates, and assembles the app on `listener` (port 0 is
    /// fine: tests read the chosen port from [`Application::port`]).
    pub async fn build(config: Config, listener: TcpListener) -> Result<Self, StartError> {
        // Before anything is counted: metrics emitted earlier would be lost.
        let _ = prometheus::handle();
        let db = Db::connect(config.database_url.expose()).await?;
        db.migrate().await?;
        let addr = listener.local_addr()?;
        let metrics_listener = match config.metrics_addr {
            Some(metrics_addr) => Some(TcpListener::bind(metrics_addr).await?),
            None => None,
        };
        let events = Events::default();
        let login_concurrency = config.login_concurrency;
        let group_commit = db
            .has_single_writer()
            .then(|| GroupCommit::spawn(db.clone(), config.timezone, events.clone()));
        let state = AppState {
            db: db.clone(),
            throttle: Arc::new(Throttle::new(config.sync_rate)),
            config: Arc::new(config),
            events,
            hub: services::streams::Hub::new(db.clone()),
            login_guard: Arc::new(LoginGuard::new(login_concurrency)),
            outbox_reports: Arc::default(),
            retry_wake: Arc::new(Notify::new()),
            webhook_wake: Arc::new(Notify::new()),
            group_commit,
            leptos: leptos_options(addr),
            shutdown: shutdown::Shutdown::default(),
        };
        services::throttle::load_saved(&state.db, &state.throttle)
            .await
            .map_err(DbError::from)?;
        tokio::spawn(services::throttle::follow_saved(
            state.db.clone(),
            state.throttle.clone(),
        ));
        if state.config.retry_worker {
            let worker = Worker {
                db: state.db.clone(),
                events: state.events.clone(),
                timezone: state.config.timezone,
                wake: state.retry_wake.clone(),
                lease: state.config.retry_lease,
            };
            tokio::spawn(worker.run());
        }
        if state.config.webhooks.worker {
            let worker = services::webhooks::worker::Worker {
                db: state.db.clone(),
                config: state.config.webhooks.clone(),
                wake: state.webhook_wake.clone(),
            };
            tokio::spawn(async move {
                if let Err(e) = worker.run().await {
                    tracing::error!(error = %e, "webhook worker stopped");
                }
            });
        }
        if state.db.is_shared_by_instances() {
            let url = state.config.database_url.expose().to_owned();
            tokio::spawn(state.hub.clone().listen(url));
        }
        tokio::spawn(services::streams::record_sync_events(
            state.db.clone(),
            state.hub.clone(),
            state.events.clone(),
            state.webhook_wake.clone(),
        ));
        tokio::spawn(services::streams::prune_old_events(state.db.clone()));
        tokio::spawn(services::presence::watch(
            state.db.clone(),
            state.hub.clone(),
            state.config.presence_every,
        ));
        let router = app_router(state.clone());
        Ok(Self {
            listener,
            metrics_listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The separate metrics listener's port, when `RUTA_METRICS_ADDR` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        let listener = self.metrics_listener.as_ref()?;
        listener.local_addr().ok().map(|a| a.port())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then stops gracefully (see
    /// `serve.rs`: in-flight requests, WebSocket closes, queued writes).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if let Some(listener) = self.metrics_listener {
            serve::metrics(listener, &self.state);
        }
        serve::run(self.listener, self.router, self.state, shutdown).await
    }
}

/// The language the page is rendered in (`<html lang>` and its texts).
fn request_lang() -> ruta_app::i18n::Lang {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>();
    let header = |name| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    ruta_app::i18n::Lang::of_request(header(axum::http::header::COOKIE).as_deref())
}

fn app_router(state: AppState) -> Router {
    let options = state.leptos.clone();
    let routes = generate_route_list(ruta_app::App);
    // Pages render their inline scripts with the request's CSP nonce, and
    // show times in the business's zone.
    let page = ruta_app::PageSettings {
        timezone: state.config.timezone.name().to_owned(),
        unsynced_warn_after_s: state.config.unsynced_warn_after.as_secs(),
    };
    let context = move || {
        http::security_headers::provide_page_nonce();
        leptos::prelude::provide_context(page.clone());
        leptos::prelude::provide_context(request_lang());
    };
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || ruta_app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, ruta_app::shell));
    let router = Router::new()
        .nest("/api", http::api())
        .route("/health", axum::routing::get(http::health::health))
        .route("/sw.js", axum::routing::get(http::service_worker::script))
        .route("/metrics", axum::routing::get(http::scrape::for_admins))
        .merge(http::ws::routes())
        .merge(pages)
        .layer(axum::middleware::from_fn(http::scrape::track))
        .with_state(state.clone());
    // Outermost, so that panics and body-limit answers get the headers too.
    http::with_middleware(router).layer(axum::middleware::from_fn_with_state(
        state,
        http::security_headers::apply,
    ))
}
