//! One sale's trip through the per-sale path: what every step of it reads
//! ([`SaleContext`]) and how it ends ([`Outcome`], [`SaleOutcome`]). Kept
//! apart from the steps so that `pipeline` and `edits` share it without
//! importing each other.
use super::catalog_snapshot::CatalogSnapshot;
use crate::db::Db;
use crate::services::events::SyncEvent;
use crate::services::{Actor, ServiceError};
use chrono_tz::Tz;
use ruta_shared::conflict::Strategy;
use ruta_shared::sync::UploadResult;

/// The error of a sale not stored because of a server fault (safe to retry).
pub const INTERNAL_ERROR: &str = "Error interno del servidor; reintentar";

/// What the per-sale path reads, the same for every sale of a batch.
pub struct SaleContext<'a> {
    pub db: &'a Db,
    /// The year of a new sale number is the year in this zone.
    pub timezone: Tz,
    pub actor: &'a Actor,
    pub catalog: &'a CatalogSnapshot,
    /// How a conflict is settled at upload time.
    pub strategy: Strategy,
}

/// How one sale ended, plus the event to publish once committed.
pub struct Outcome {
    pub result: UploadResult,
    pub event: Option<SyncEvent>,
}

/// One sale's answer, its event once committed, and the database outage
/// (read-only, unreachable, full) that kept it from being stored.
pub struct SaleOutcome {
    pub result: UploadResult,
    pub event: Option<SyncEvent>,
    pub outage: Option<ServiceError>,
}

impl SaleOutcome {
    pub fn answer(result: UploadResult) -> Self {
        Self {
            result,
            event: None,
            outage: None,
        }
    }
}

/// A refusal: the sale's error answer and its `SaleError` event.
pub fn error_outcome(
    local_id: &str,
    sale_id: Option<i64>,
    error: String,
    actor: &Actor,
) -> Outcome {
    Outcome {
        event: Some(SyncEvent::SaleError {
            sale_id,
            local_id: local_id.into(),
            seller_code: actor.seller_code.clone(),
            error: error.clone(),
        }),
        result: UploadResult::error(local_id.into(), sale_id, error),
    }
}
