//! A run's catalog pull: the catalog's changes (not throttled) when asked
//! for or when the last pull is older than `CATALOG_EVERY_MS`, and the
//! server's upload order with them.
use super::SyncService;
use crate::services::api::{self, Method};
use crate::services::platform::now_ms;
use crate::services::{catalog, storage};
use leptos::prelude::*;
use ruta_shared::conflict::EntityType;
use ruta_shared::wire::sync_config::upload_order_of_json;
use serde_json::Value;

/// A run after a save pulls the catalog only if the last pull is older.
const CATALOG_EVERY_MS: f64 = 60_000.0;
/// "1" when sales are critical and shops are not (the server's
/// `sync/config`, read with the catalog): sales go up first.
pub(super) const SALES_FIRST_KEY: &str = "ruta.sales_first";

impl SyncService {
    /// Pulls the catalog's changes when due (see the module's comment).
    pub(super) async fn pull_catalog(self, token: &str) {
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
            storage::set(SALES_FIRST_KEY, if sales_first { "1" } else { "0" });
        }
    }
}
