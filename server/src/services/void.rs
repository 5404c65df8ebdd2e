//! Voiding a confirmed sale (anular), online through
//! `POST /api/v1/sales/{id}/void/` or offline as an uploaded edit: who may
//! (an admin any sale; a seller their own, on the business day it was
//! made) and the new version it becomes. The content rule itself is
//! shared (`ruta_shared::void`), so the phone refuses what the server would.
use super::audit::{self, Entry};
use super::sync::resolve::archive_current;
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::sales::{Acceptance, AcceptedFields, SaleRow};
use crate::store::{self, Tx};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::sale::SaleContent;
use ruta_shared::void::{voided, VoidError};
use serde_json::json;

pub const NOT_SAME_DAY: &str =
    "Una venta solo se anula el mismo día en que se hizo; pida la anulación al administrador";

fn refused(e: VoidError) -> ServiceError {
    match e {
        VoidError::NoReason => ServiceError::invalid("void_reason", e.to_string()),
        VoidError::AlreadyVoided | VoidError::NotConfirmed => ServiceError::Conflict(e.to_string()),
    }
}

/// A seller voids only on the business day the sale was made.
pub fn may_void(actor: &Actor, sale: &SaleRow, tz: Tz, now: DateTime<Utc>) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Dispatcher => false,
        Role::Seller => {
            let made = DateTime::parse_from_rfc3339(&sale.created_at)
                .map(|t| t.with_timezone(&tz).date_naive());
            sale.user_id == actor.user_id && made == Ok(now.with_timezone(&tz).date_naive())
        }
    }
}

/// The stored fields of `s` with `content` in place of its content: a
/// void changes the status and the reason, never the lines or totals.
fn fields_of_void(s: &SaleRow, content: &SaleContent) -> AcceptedFields {
    AcceptedFields {
        customer_id: content.customer_id,
        status: content.status.as_str().to_owned(),
        payment_method: content.payment_method.as_str().to_owned(),
        content: serde_json::to_string(content).unwrap_or_default(),
        content_hash: content.content_hash(),
        lines: s.lines.clone().unwrap_or_else(|| "[]".into()),
        subtotal: s.subtotal.clone().unwrap_or_default(),
        discount_total: s.discount_total.clone().unwrap_or_default(),
        tax_total: s.tax_total.clone().unwrap_or_default(),
        total: s.total.clone().unwrap_or_default(),
    }
}

/// Stores the void as the next version of the locked sale `s`, logged.
pub async fn store_void(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    s: &SaleRow,
    content: &SaleContent,
    now: &str,
) -> ServiceResult<i64> {
    archive_current(tx, s, now).await?;
    let version = s.version + 1;
    let fields = fields_of_void(s, content);
    let edit = Acceptance::Edit { device_id: None };
    store::sales::store_accepted(tx, s.id, version, &fields, edit, now).await?;
    let entry = Entry::sale(Some(s.id), s.local_id.clone(), s.device_id.clone())
        .with_detail(json!({"reason": content.void_reason, "version": version}));
    audit::record(tx, db, actor, SyncAction::VoidSale, entry).await?;
    Ok(version)
}

/// `POST /api/v1/sales/{id}/void/`.
pub async fn void(db: &Db, tz: Tz, actor: &Actor, id: i64, reason: &str) -> ServiceResult<SaleRow> {
    let visible = super::sales::visible(db, actor, id).await?;
    if !may_void(actor, &visible, tz, Utc::now()) {
        return Err(match actor.role {
            Role::Seller if visible.user_id == actor.user_id => {
                ServiceError::Conflict(NOT_SAME_DAY.into())
            }
            _ => ServiceError::Forbidden,
        });
    }
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    let s = store::sales::lock_by_id(&mut tx, id, db.row_lock())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let current: SaleContent = match s.content.as_deref().map(serde_json::from_str) {
        Some(Ok(c)) => c,
        _ => return Err(refused(VoidError::NotConfirmed)),
    };
    let content = voided(&current, reason).map_err(refused)?;
    store_void(&mut tx, db, actor, &s, &content, &now).await?;
    tx.commit().await?;
    store::sales::by_id(db.read(), id)
        .await?
        .ok_or(ServiceError::NotFound)
}
