//! The office's sales (`/admin/ventas`): every sale with the admin's
//! filters, a page at a time from a cursor, as CSV, and one sale's whole
//! history (its versions and its log rows).
use super::{Actor, ServiceError, ServiceResult};
use crate::db::Db;
use crate::store;
pub use crate::store::sales::office::OfficeFilter;
use ruta_shared::auth::Role;
use ruta_shared::sale::SaleView;
use ruta_shared::wire::admin::LogEntry;
use ruta_shared::wire::office::{SaleHistory, SaleVersion};
use ruta_shared::wire::CursorPage;

/// The most rows one CSV export holds.
pub const EXPORT_MAX_ROWS: i64 = 100_000;
const EXPORT_PAGE: i64 = 1_000;
const LOG_ROWS_PER_SALE: i64 = 500;

fn admin_only(actor: &Actor) -> ServiceResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

pub async fn page(
    db: &Db,
    actor: &Actor,
    filter: &OfficeFilter,
    limit: i64,
) -> ServiceResult<CursorPage<SaleView>> {
    admin_only(actor)?;
    let rows = store::sales::office::page(db.read(), filter, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = has_more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(CursorPage {
        results: rows.iter().map(super::sales::view).collect(),
        next_cursor,
    })
}

/// Every sale the filter selects (up to [`EXPORT_MAX_ROWS`]), newest first.
pub async fn export(db: &Db, actor: &Actor, filter: &OfficeFilter) -> ServiceResult<Vec<SaleView>> {
    admin_only(actor)?;
    let mut filter = filter.clone();
    let mut out = Vec::new();
    loop {
        let left = EXPORT_MAX_ROWS - out.len() as i64;
        if left <= 0 {
            break;
        }
        let rows = store::sales::office::page(db.read(), &filter, EXPORT_PAGE.min(left)).await?;
        let last = rows.last().map(|r| r.id);
        let full = rows.len() as i64 == EXPORT_PAGE.min(left);
        out.extend(rows.iter().map(super::sales::view));
        match last {
            Some(id) if full => filter.before_id = Some(id),
            _ => break,
        }
    }
    Ok(out)
}

pub async fn history(db: &Db, actor: &Actor, id: i64) -> ServiceResult<SaleHistory> {
    admin_only(actor)?;
    let sale = store::sales::by_id(db.read(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let versions = store::sales::office::versions(db.read(), id)
        .await?
        .into_iter()
        .map(|(version, content, superseded_at)| SaleVersion {
            version,
            content: serde_json::from_str(&content).unwrap_or_default(),
            superseded_at,
        })
        .collect();
    let log = store::audit::of_sale(db.read(), id, LOG_ROWS_PER_SALE)
        .await?
        .into_iter()
        .map(LogEntry::from)
        .collect();
    Ok(SaleHistory {
        sale: super::sales::view(&sale),
        versions,
        log,
    })
}
