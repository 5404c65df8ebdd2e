//! An upload of a sale already accepted, under its row lock: an edit when
//! it builds on the current version, a conflict when the server copy moved
//! on since (settled at once by the entity's strategy, or left for a
//! person), an error when it claims a version the server never had.
use super::resolve::{self, OpenConflict};
use super::sale::{error_outcome, Outcome, SaleContext};
use crate::services::audit::{self, Entry};
use crate::services::events::SyncEvent;
use crate::services::void;
use crate::services::{ServiceError, ServiceResult};
use crate::store::sales::{Acceptance, SaleRow};
use crate::store::{self, Tx};
use chrono::Utc;
use ruta_shared::audit::SyncAction;
use ruta_shared::conflict::{differing_fields, ConflictInfo};
use ruta_shared::sale::{SaleContent, SyncStatus};
use ruta_shared::sync::UploadResult;
use ruta_shared::validation::SaleDraft;

/// Whether this edit is a void (logged as one), or why it may not be
/// stored: a void without a reason, an edit of a voided sale, or a
/// seller's void after the sale's business day.
fn void_check(ctx: &SaleContext<'_>, s: &SaleRow, content: &SaleContent) -> Result<bool, String> {
    let Some(stored) = s
        .content
        .as_deref()
        .and_then(|c| serde_json::from_str::<SaleContent>(c).ok())
    else {
        return Ok(false);
    };
    match ruta_shared::void::check_edit(&stored, content) {
        Err(e) => Err(e.to_string()),
        Ok(true) if !void::may_void(ctx.actor, s, ctx.timezone, Utc::now()) => {
            Err(void::NOT_SAME_DAY.to_owned())
        }
        Ok(is_void) => Ok(is_void),
    }
}

/// `content` is the upload's checked content; `s` the stored sale, locked in
/// `tx`, which this commits.
pub async fn edit_or_conflict(
    ctx: &SaleContext<'_>,
    mut tx: Tx<'_>,
    s: SaleRow,
    draft: &SaleDraft,
    content: SaleContent,
    now: &str,
) -> ServiceResult<Outcome> {
    let SaleContext {
        db,
        actor,
        catalog,
        strategy,
        ..
    } = *ctx;
    let local_id = s.local_id.clone();
    let entry = |sale_id| Entry::sale(sale_id, local_id.clone(), draft.device_id.clone());
    if draft.version > s.version {
        // The contract's text, exactly (API.md, "Versions").
        let message = "Campo version inválido".to_owned();
        audit::record(
            &mut tx,
            db,
            actor,
            SyncAction::UpdateSale,
            entry(Some(s.id)).failed(&message),
        )
        .await?;
        tx.commit().await?;
        return Ok(error_outcome(&local_id, Some(s.id), message, actor));
    }
    let in_conflict = s.sync_status == SyncStatus::Conflict;
    if draft.version == s.version && !in_conflict {
        let action = match void_check(ctx, &s, &content) {
            Ok(true) => SyncAction::VoidSale,
            Ok(false) => SyncAction::UpdateSale,
            Err(message) => {
                audit::record(
                    &mut tx,
                    db,
                    actor,
                    SyncAction::VoidSale,
                    entry(Some(s.id)).failed(&message),
                )
                .await?;
                tx.commit().await?;
                return Ok(error_outcome(&local_id, Some(s.id), message, actor));
            }
        };
        let fields = catalog.accepted_fields(&content);
        resolve::archive_current(&mut tx, &s, now).await?;
        let version = s.version + 1;
        let edit = Acceptance::Edit {
            device_id: draft.device_id.as_deref(),
        };
        store::sales::store_accepted(&mut tx, s.id, version, &fields, edit, now).await?;
        audit::record(&mut tx, db, actor, action, entry(Some(s.id))).await?;
        tx.commit().await?;
        return Ok(Outcome {
            result: UploadResult::success(local_id.clone(), s.id, s.number.clone(), version),
            event: Some(SyncEvent::SaleSynced {
                sale_id: s.id,
                local_id,
                seller_code: actor.seller_code.clone(),
                device_id: draft.device_id.clone(),
            }),
        });
    }

    // The server copy changed since the client's base version.
    let server: SaleContent = serde_json::from_str(s.content.as_deref().unwrap_or("null"))
        .map_err(|e| ServiceError::Internal(format!("stored content of sale {}: {e}", s.id)))?;
    let info = ConflictInfo {
        server_version: s.version,
        client_version: draft.version,
        fields: differing_fields(&server, &content),
        server: serde_json::to_value(&server).unwrap_or_default(),
        client: serde_json::to_value(&content).unwrap_or_default(),
    };
    let conflict_id = store::conflicts::open(
        &mut tx,
        &store::conflicts::NewConflict {
            sale_id: s.id,
            server_version: s.version,
            client_version: draft.version,
            fields: &serde_json::to_string(&info.fields).unwrap_or_default(),
            server_content: s.content.as_deref().unwrap_or("null"),
            client_content: &serde_json::to_string(&content).unwrap_or_default(),
            client_device_id: draft.device_id.as_deref(),
            now,
        },
    )
    .await?;
    store::sales::set_sync_status(&mut tx, s.id, SyncStatus::Conflict, now).await?;
    audit::record(&mut tx, db, actor, SyncAction::Conflict, entry(Some(s.id))).await?;

    let open = OpenConflict {
        db,
        actor,
        sale: &s,
        id: conflict_id,
        catalog,
        now,
    };
    let settled =
        resolve::settle_by_strategy(&mut tx, &open, &server, &content, draft, strategy).await?;
    tx.commit().await?;
    Ok(match settled {
        Some(version) => {
            let mut result =
                UploadResult::success(local_id.clone(), s.id, s.number.clone(), version);
            result.resolved_by = Some(strategy);
            Outcome {
                result,
                event: Some(SyncEvent::ConflictResolved {
                    sale_id: s.id,
                    resolution: strategy.as_str().into(),
                }),
            }
        }
        None => Outcome {
            result: UploadResult::conflict(local_id.clone(), s.id, info),
            event: Some(SyncEvent::ConflictDetected {
                sale_id: s.id,
                local_id,
                seller_code: actor.seller_code.clone(),
            }),
        },
    })
}
