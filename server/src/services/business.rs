//! The business profile receipts print (name, tax id, …): one record in
//! the run-time settings, read by every role, written by an admin and
//! logged with what it was before.
use super::audit::{self, Entry};
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::settings;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::wire::business::BusinessProfile;
use serde_json::json;

/// The stored profile; empty fields until an admin has filled it in.
pub async fn profile(db: &Db) -> ServiceResult<BusinessProfile> {
    let stored = settings::get(db.read(), settings::BUSINESS).await?;
    Ok(stored
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

pub async fn save(
    db: &Db,
    actor: &Actor,
    submitted: &BusinessProfile,
) -> ServiceResult<BusinessProfile> {
    if actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    let profile = submitted
        .validated()
        .map_err(|e| ServiceError::invalid(e.field(), e.to_string()))?;
    let text =
        serde_json::to_string(&profile).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut tx = db.write().begin().await?;
    let before = settings::get(&mut *tx, settings::BUSINESS)
        .await?
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    settings::set(&mut *tx, settings::BUSINESS, &text, &clock::now()).await?;
    let entry = Entry::about(json!({"before": before, "after": profile}));
    audit::record(&mut tx, db, actor, SyncAction::BusinessChange, entry).await?;
    tx.commit().await?;
    Ok(profile)
}
