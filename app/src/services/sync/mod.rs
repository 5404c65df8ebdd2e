//! The sync engine: uploads the outbox when there is a network, following
//! the shared planner (batches of ≤ 100, backoff with jitter, 429's
//! `Retry-After`). Runs on app start, on the browser's `online` event,
//! after each save, every 30 s while a seller page is open, and on demand.
//! One run at a time; a kick during a run makes it go round once more.
//! Each run also pulls the catalog's changes (not throttled) when asked
//! for by `online`, the timer or "Sincronizar ahora", or when the last
//! pull is older than `CATALOG_EVERY_MS`, so a phone left open all day
//! does not keep yesterday's prices.
//!
//! This file holds the state the pages see and what starts a run; a run
//! itself is in `run.rs`, its parts in the files named after them.
use super::catalog::{self, LocalCatalog};
use super::idb;
use super::outbox::{self, OutboxRecord};
use leptos::prelude::*;
use std::collections::HashMap;

mod backoff;
mod catalog_pull;
mod conflicts;
mod run;
mod upload;

/// How often a seller page retries on its own while open.
pub const PERIOD_MS: u32 = 30_000;
const LAST_SYNC_KEY: &str = "ruta.last_sync";
/// Where the service worker finds the token to upload with.
pub const TOKEN_META: &str = "token";

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
pub struct SyncService {
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
    provide_context(SyncService {
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

pub fn use_sync() -> SyncService {
    use_context::<SyncService>().unwrap_or_else(|| {
        provide_sync();
        expect_context::<SyncService>()
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

impl SyncService {
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

    /// What the requests from now on tell the server the outbox holds
    /// (the settlement shows it). Called by each run, not by an effect:
    /// the engine outlives the page that started it.
    fn report_outbox(self) {
        if self.loaded.get_untracked() {
            super::api::report_outbox(self.records.with_untracked(|r| outbox::unsynced(r)));
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
