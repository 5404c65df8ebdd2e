//! Reading sales back: views, lists, pending queue and sync status, with
//! per-user isolation (a seller sees only its own sales).
use super::{Actor, ServiceError, ServiceResult};
use crate::db::Db;
pub use crate::store::sales::SaleFilter;
use crate::store::{self, sales::SaleRow, Page};
use ruta_shared::auth::Role;
use ruta_shared::sale::{ItemView, PaymentMethod, SaleContent, SaleStatus, SaleView};
use ruta_shared::wire::{FiscalStatus, PendingSale};

pub fn view(row: &SaleRow) -> SaleView {
    let content: Option<SaleContent> = row
        .content
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok());
    let items: Vec<ItemView> = row
        .lines
        .as_deref()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    let payment_method = row.payment_method.as_deref().and_then(PaymentMethod::parse);
    SaleView {
        id: row.id,
        number: row.number.clone(),
        local_id: row.local_id.clone(),
        seller_code: row.seller_code.clone(),
        device_id: row.device_id.clone(),
        customer_id: row.customer_id,
        customer_name: row.customer_name.clone(),
        status: row.status.as_deref().and_then(SaleStatus::parse),
        payment_method,
        payment_status: payment_method.map(|p| p.payment_status()),
        sync_status: row.sync_status,
        created_at: row.created_at.clone(),
        server_timestamp: row.server_timestamp.clone(),
        updated_at: row.updated_at.clone(),
        version: row.version,
        items,
        returns: content
            .as_ref()
            .map(|c| c.returns.clone())
            .unwrap_or_default(),
        notes: content.and_then(|c| c.notes),
        subtotal: row.subtotal.clone(),
        discount_total: row.discount_total.clone(),
        tax_total: row.tax_total.clone(),
        total: row.total.clone(),
        error: row.error.clone(),
    }
}

/// A sale the actor may see: its own, or any for admins and dispatchers.
pub async fn visible(db: &Db, actor: &Actor, id: i64) -> ServiceResult<SaleRow> {
    let row = store::sales::by_id(db.read(), id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if actor.role == Role::Seller && row.user_id != actor.user_id {
        return Err(ServiceError::NotFound);
    }
    Ok(row)
}

/// Narrows a filter to what the actor may see.
pub fn scoped(actor: &Actor, mut f: SaleFilter) -> SaleFilter {
    if actor.role == Role::Seller {
        f.user_id = Some(actor.user_id);
    }
    f
}

pub async fn list(
    db: &Db,
    actor: &Actor,
    f: SaleFilter,
    page: Page,
) -> ServiceResult<(i64, Vec<SaleRow>)> {
    Ok(store::sales::list(db.read(), &scoped(actor, f), page).await?)
}

/// The pending list's row (`ruta_shared::wire::PendingSale`).
impl From<SaleRow> for PendingSale {
    fn from(r: SaleRow) -> Self {
        let payment_method = r.payment_method.as_deref().and_then(PaymentMethod::parse);
        Self {
            payment_status: payment_method.map(|p| p.payment_status()),
            id: r.id,
            number: r.number,
            local_id: r.local_id,
            status: r.status.as_deref().and_then(SaleStatus::parse),
            customer: r.customer_id,
            customer_name: r.customer_name,
            fiscal_status: FiscalStatus::NotRequired,
            total: r.total,
            created_at: r.created_at,
            sync_status: r.sync_status,
            error: r.error,
            seller_code: r.seller_code,
            device_id: r.device_id,
            sync_attempt_count: r.sync_attempt_count,
            sync_last_attempt: r.sync_last_attempt,
            next_attempt_at: r.next_attempt_at,
        }
    }
}

pub use ruta_shared::wire::sales::SyncStatusView;

pub async fn status(db: &Db, actor: &Actor, id: i64) -> ServiceResult<SyncStatusView> {
    let r = visible(db, actor, id).await?;
    if actor.role == Role::Dispatcher {
        return Err(ServiceError::Forbidden);
    }
    Ok(SyncStatusView {
        sale_id: r.id,
        sale_number: r.number,
        local_id: r.local_id,
        sync_status: r.sync_status,
        sync_succeeded_at: r.sync_succeeded_at,
        sync_last_attempt: r.sync_last_attempt,
        sync_attempt_count: r.sync_attempt_count,
        next_attempt_at: r.next_attempt_at,
        version: r.version,
        conflict_resolution: r.conflict_resolution,
        error: r.error,
    })
}
