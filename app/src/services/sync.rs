//! The sync engine: uploads the outbox when there is a network, following
//! the shared planner (batches of ≤ 100, backoff with jitter, 429's
//! `Retry-After`). Runs on app start, on the browser's `online` event,
//! after each save, every 30 s while a seller page is open, and on demand.
//! One run at a time; a kick during a run makes it go round once more.
//! Each run also pulls the catalog's changes (not throttled) when asked
//! for by `online`, the timer or "Sincronizar ahora", or when the last
//! pull is older than `CATALOG_EVERY_MS`, so a phone left open all day
//! does not keep yesterday's prices.
use super::api::{self, ApiError, Method};
use super::catalog::{self, LocalCatalog};
use super::idb;
use super::outbox::{self, OutboxRecord};
use super::session;
use leptos::prelude::*;
use ruta_shared::conflict::EntityType;
use ruta_shared::planner::{self, LocalState, Operation, MAX_BATCH};
use ruta_shared::sale::{SaleView, SyncStatus};
use ruta_shared::wire::sync_config::upload_order_of_json;
use serde_json::Value;
use std::collections::HashMap;

/// How often a seller page retries on its own while open.
pub const PERIOD_MS: u32 = 30_000;
/// A run after a save pulls the catalog only if the last pull is older.
const CATALOG_EVERY_MS: f64 = 60_000.0;
const LAST_SYNC_KEY: &str = "ruta.last_sync";
/// "1" when sales are critical and shops are not (the server's
/// `sync/config`, read with the catalog): sales go up first.
const SALES_FIRST_KEY: &str = "ruta.sales_first";
/// Open conflicts asked about per run.
const MAX_CONFLICT_CHECKS: usize = 5;
/// A conflict is asked about again no sooner than this (unless the seller
/// presses "Sincronizar ahora"): 20 open conflicts cost at most 5 requests
/// every 2 minutes, none of them against the sync budget.
const CONFLICT_RECHECK_MS: f64 = 120_000.0;
/// Where the service worker finds the token to upload with.
pub const TOKEN_META: &str = "token";

/// One step of a run, in the order the critical flags give.
#[derive(Clone, Copy)]
enum Step {
    Customers,
    Sales,
}

/// Whether a run goes on after a step.
enum Flow {
    Go,
    /// Waiting for the planner's next attempt (already scheduled).
    Paused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Offline,
    /// Waiting for the server's `Retry-After`, or backing off.
    Waiting,
    SessionExpired,
    Storage,
}

#[derive(Default)]
struct Engine {
    running: bool,
    again: bool,
    started: bool,
    failures: u32,
    not_before_ms: u64,
    wake_scheduled_for: u64,
    /// The next run pulls the catalog's changes whatever the age.
    catalog_due: bool,
    catalog_pulled_ms: f64,
    /// The next run asks about every open conflict, however recently.
    conflicts_due: bool,
    /// When each open conflict (by sale id) was last asked about.
    conflict_checked_ms: HashMap<i64, f64>,
}

/// The engine's state as the pages show it.
#[derive(Clone, Copy)]
pub struct Sync {
    pub records: RwSignal<Vec<OutboxRecord>>,
    pub catalog: RwSignal<LocalCatalog>,
    /// (sent, to send) while a run uploads.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// When the last run reached the server and left nothing pending (ms).
    pub last_ok: RwSignal<Option<f64>>,
    pub problem: RwSignal<Option<Problem>>,
    /// Whether the device's data has been read (IndexedDB is asynchronous).
    pub loaded: RwSignal<bool>,
    engine: StoredValue<Engine>,
}

pub fn provide_sync() {
    provide_context(Sync {
        records: RwSignal::new(Vec::new()),
        catalog: RwSignal::new(LocalCatalog::default()),
        progress: RwSignal::new(None),
        // Read in `start`, after hydration: the server cannot know it.
        last_ok: RwSignal::new(None),
        problem: RwSignal::new(None),
        loaded: RwSignal::new(false),
        engine: StoredValue::new(Engine::default()),
    });
}

pub fn use_sync() -> Sync {
    use_context::<Sync>().unwrap_or_else(|| {
        provide_sync();
        expect_context::<Sync>()
    })
}

/// The last successful sync as stored: whole milliseconds, as an integer.
/// Parsing an `f64` would pull Rust's float parser into the WASM, where
/// nothing else needs it; `Date.now()` has no fraction to lose, and an
/// `f64` printed without a fraction (as older builds stored it) reads the
/// same.
fn write_last_sync(ms: f64) -> String {
    (ms as u64).to_string()
}

fn read_last_sync(stored: &str) -> Option<f64> {
    stored.parse::<u64>().ok().map(|ms| ms as f64)
}

pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

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

fn browser_online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

impl Sync {
    pub fn unsynced(&self) -> Signal<usize> {
        let records = self.records;
        Signal::derive(move || records.with(|r| outbox::unsynced(r)))
    }

    /// Loads the device's data and starts the triggers; once per page load.
    pub fn start(self) {
        let first = self
            .engine
            .try_update_value(|e| !std::mem::replace(&mut e.started, true));
        if first != Some(true) {
            return;
        }
        let last_ok = super::storage::get(LAST_SYNC_KEY).and_then(|t| read_last_sync(&t));
        self.last_ok.set(last_ok);
        super::pwa::on_outbox_changed(move || {
            leptos::task::spawn_local(async move {
                if let Ok(records) = outbox::all().await {
                    self.records.set(records);
                }
            })
        });
        leptos::task::spawn_local(async move {
            // The catalog first: the form is usable before a long outbox
            // is read.
            if let Ok(catalog) = catalog::load().await {
                self.catalog.set(catalog);
            }
            if let Ok(records) = outbox::all().await {
                self.records.set(records);
            }
            self.loaded.set(true);
            self.engine.update_value(|e| e.catalog_due = true);
            self.run().await;
        });
        let online = window_event_listener(leptos::ev::online, move |_| {
            self.engine.update_value(|e| {
                e.not_before_ms = 0;
                e.catalog_due = true;
            });
            self.kick();
        });
        let offline = window_event_listener(leptos::ev::offline, move |_| {
            self.problem.set(Some(Problem::Offline));
        });
        // The listeners live as long as the page: the engine is app-wide.
        std::mem::forget((online, offline));
        #[cfg(feature = "hydrate")]
        {
            let _ = set_interval_with_handle(
                move || {
                    self.engine.update_value(|e| e.catalog_due = true);
                    self.kick();
                },
                std::time::Duration::from_millis(PERIOD_MS.into()),
            );
        }
    }

    /// Asks for a run now (or right after the current one).
    pub fn kick(self) {
        leptos::task::spawn_local(self.run());
    }

    /// "Sincronizar ahora": forgets the backoff, then runs.
    pub fn now(self) {
        self.engine.update_value(|e| {
            e.not_before_ms = 0;
            e.catalog_due = true;
            e.conflicts_due = true;
        });
        self.kick();
    }

    /// Saves a sale and shows it at once; then tries to send it.
    pub async fn save(self, record: OutboxRecord) -> Result<(), idb::IdbError> {
        outbox::save(&record).await?;
        self.records.update(|all| {
            all.retain(|r| r.local_id != record.local_id);
            all.insert(0, record);
        });
        register_background_sync();
        self.kick();
        Ok(())
    }

    /// Replaces one record in the list shown (after a resolve).
    pub fn replace(self, record: OutboxRecord) {
        self.records.update(|all| {
            if let Some(r) = all.iter_mut().find(|r| r.local_id == record.local_id) {
                *r = record;
            }
        });
    }

    /// Pulls the catalog's changes when due (see the module's comment).
    async fn pull_catalog(self, token: &str) {
        let now = now_ms();
        let due = self
            .engine
            .try_update_value(|e| {
                let due = e.catalog_due || now - e.catalog_pulled_ms >= CATALOG_EVERY_MS;
                e.catalog_due = false;
                due
            })
            .unwrap_or(false);
        if !due {
            return;
        }
        if let Ok(catalog) = catalog::refresh(token).await {
            self.catalog.set(catalog);
            self.engine.update_value(|e| e.catalog_pulled_ms = now);
        }
        let config = api::call::<Value>(Method::Get, "/api/v1/sync/config/", token, None);
        if let Ok(config) = config.await {
            let sales_first = upload_order_of_json(&config)[0] == EntityType::Sale;
            super::storage::set(SALES_FIRST_KEY, if sales_first { "1" } else { "0" });
        }
    }

    async fn run(self) {
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
        self.pull_catalog(&s.token).await;
        // Critical entity types first (the admin's "crítico"); a sale that
        // names a shop added offline waits for it either way.
        let sales_first = super::storage::get(SALES_FIRST_KEY).as_deref() == Some("1");
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
        super::storage::set(LAST_SYNC_KEY, &write_last_sync(now));
    }

    /// Sends the shops added offline; their sales then name the server's ids.
    async fn push_customers(self, token: &str) -> Result<Flow, ApiError> {
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
    async fn upload_sales(self, token: &str) -> Result<Flow, ApiError> {
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
                    let sales: Vec<&serde_json::Value> = batch.iter().map(|r| &r.sale).collect();
                    let sent: HashMap<String, f64> = batch
                        .iter()
                        .map(|r| (r.local_id.clone(), r.saved_at))
                        .collect();
                    let response = api::upload(token, &sales).await?;
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

    /// A conflict may be resolved elsewhere (by an admin): such a sale is
    /// synced again on the server, and its copy here becomes the server's.
    /// Asked with the sale's own view (`GET /sales/{id}/`, not throttled),
    /// the least recently asked first, each at most every
    /// `CONFLICT_RECHECK_MS`: a phone with open conflicts left on all day
    /// once spent its whole 50/hour budget on `sync/status` polls.
    async fn follow_conflicts(self, token: &str) {
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

    fn failed(self, error: ApiError) {
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
    fn wake_at(self, at: u64) {
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

/// Asks the service worker to upload even if every tab closes (Chromium's
/// Background Sync; where it is missing the page's own triggers cover it).
fn register_background_sync() {
    #[cfg(feature = "hydrate")]
    {
        super::pwa::call_shell("rutaRegisterSync");
    }
}

/// Forgets this device's sales and catalog (logging out).
pub async fn forget_device_data() {
    let _ = idb::clear(&[idb::OUTBOX, idb::CUSTOMERS, idb::PRODUCTS, idb::META]).await;
    super::storage::remove(LAST_SYNC_KEY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_sync_time_is_stored_as_whole_milliseconds() {
        let now = 1_764_412_345_678.0_f64;
        assert_eq!(write_last_sync(now), "1764412345678");
        assert_eq!(read_last_sync(&write_last_sync(now)), Some(now));
        // What the builds that printed the `f64` stored.
        assert_eq!(read_last_sync(&now.to_string()), Some(now));
        assert_eq!(read_last_sync("yesterday"), None);
    }
}
