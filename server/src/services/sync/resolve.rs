//! Settling conflicts: by the configured strategy at upload time, or by a
//! person through `/sales/sync/resolve/`. Every resolution bumps the
//! version by one and writes its `resolve` log row in the same transaction.
use super::catalog_snapshot::CatalogSnapshot;
use crate::clock;
use crate::db::Db;
use crate::services::audit::{self, Entry};
use crate::services::events::{Events, SyncEvent};
use crate::services::{Actor, ServiceError, ServiceResult};
use crate::store::sales::{Acceptance, SaleRow};
use crate::store::{self, conflicts::ConflictRow, Tx};
use ruta_shared::audit::SyncAction;
use ruta_shared::conflict::{client_wrote_last, merge, Resolution, Strategy};
use ruta_shared::sale::{SaleContent, SyncStatus};
use ruta_shared::validation::{self, SaleDraft};
pub use ruta_shared::wire::sales::{ResolveRequest, ResolvedSale};
use serde_json::Value;

/// Keeps the current accepted version before it is replaced.
pub async fn archive_current(tx: &mut Tx<'_>, s: &SaleRow, now: &str) -> Result<(), sqlx::Error> {
    if let (Some(content), Some(hash)) = (&s.content, &s.content_hash) {
        store::sales::archive_version(tx, s.id, s.version, content, hash, now).await?;
    }
    Ok(())
}

/// What a resolution keeps.
enum Chosen {
    Server,
    Content(SaleContent),
}

/// The content of the client's base version, if the server still has it.
async fn base_content(
    tx: &mut Tx<'_>,
    s: &SaleRow,
    base_version: i64,
) -> ServiceResult<Option<SaleContent>> {
    let text = if base_version == s.version {
        s.content.clone()
    } else {
        store::sales::version_content(tx, s.id, base_version).await?
    };
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// The open conflict being settled, and what settling it reads.
pub struct OpenConflict<'a> {
    pub db: &'a Db,
    pub actor: &'a Actor,
    /// The sale, read under its row lock.
    pub sale: &'a SaleRow,
    /// The conflict row's id.
    pub id: i64,
    /// Names the lines of the content kept.
    pub catalog: &'a CatalogSnapshot,
    pub now: &'a str,
}

/// A resolution: what it keeps, how it is recorded, and by whom.
struct Decision<'a> {
    chosen: Chosen,
    resolution: &'a str,
    /// The person who settled it (`None`: the strategy did).
    resolved_by: Option<i64>,
    notes: Option<&'a str>,
}

async fn apply(
    tx: &mut Tx<'_>,
    conflict: &OpenConflict<'_>,
    decision: Decision<'_>,
) -> ServiceResult<i64> {
    let OpenConflict {
        db,
        actor,
        sale: s,
        id: conflict_id,
        catalog,
        now,
    } = *conflict;
    let Decision {
        chosen,
        resolution,
        resolved_by,
        notes,
    } = decision;
    let version = s.version + 1;
    match chosen {
        Chosen::Server => {
            store::sales::settle_unchanged(tx, s.id, version, resolution, now).await?;
        }
        Chosen::Content(content) => {
            archive_current(tx, s, now).await?;
            let fields = catalog.accepted_fields(&content);
            let settled = Acceptance::Resolution {
                strategy: resolution,
            };
            store::sales::store_accepted(tx, s.id, version, &fields, settled, now).await?;
        }
    }
    store::conflicts::close(tx, conflict_id, resolution, resolved_by, notes, now).await?;
    let entry = Entry::sale(Some(s.id), s.local_id.clone(), None);
    audit::record(tx, db, actor, SyncAction::Resolve, entry).await?;
    Ok(version)
}

/// Applies a non-manual strategy at upload time. `None`: left for a person
/// (manual strategy, or a merge with fields both sides changed).
pub async fn settle_by_strategy(
    tx: &mut Tx<'_>,
    conflict: &OpenConflict<'_>,
    server: &SaleContent,
    client: &SaleContent,
    draft: &SaleDraft,
    strategy: Strategy,
) -> ServiceResult<Option<i64>> {
    let (s, now) = (conflict.sale, conflict.now);
    let chosen = match strategy {
        Strategy::Manual => return Ok(None),
        Strategy::ServerWins => Chosen::Server,
        Strategy::ClientWins => Chosen::Content(client.clone()),
        Strategy::LastWriteWins => {
            let times = clock::parse(&s.updated_at).zip(clock::parse(now));
            match times {
                Some((server_edited, now))
                    if client_wrote_last(
                        draft.updated_at,
                        draft.created_at,
                        server_edited,
                        now,
                    ) =>
                {
                    Chosen::Content(client.clone())
                }
                _ => Chosen::Server,
            }
        }
        Strategy::Merge => match base_content(tx, s, draft.version).await? {
            Some(base) => match merge(&base, server, client) {
                Ok(merged) => Chosen::Content(merged),
                Err(_) => return Ok(None),
            },
            None => return Ok(None),
        },
    };
    let decision = Decision {
        chosen,
        resolution: strategy.as_str(),
        resolved_by: None,
        notes: None,
    };
    apply(tx, conflict, decision).await.map(Some)
}

/// Validates `client_data` (a full sale in upload shape) with the same
/// checks as an upload.
async fn client_data_content(
    db: &Db,
    s: &SaleRow,
    data: &Value,
) -> ServiceResult<(SaleContent, CatalogSnapshot)> {
    let mut data = data.clone();
    if let Some(obj) = data.as_object_mut() {
        obj.entry("local_id")
            .or_insert_with(|| Value::String(s.local_id.clone()));
    }
    let catalog = CatalogSnapshot::load(db, &[&data]).await?;
    let key = validation::read_key(&data)
        .map_err(|r| ServiceError::invalid("client_data", r.error.to_string()))?;
    let invalid = |e: validation::SaleError| ServiceError::invalid("client_data", e.message);
    let draft = validation::parse_draft(&data, key).map_err(invalid)?;
    validation::check_customer(&draft, &catalog).map_err(invalid)?;
    let content = validation::check_lines(&draft, &catalog).map_err(invalid)?;
    Ok((content, catalog))
}

pub async fn resolve(
    db: &Db,
    events: &Events,
    actor: &Actor,
    req: ResolveRequest,
) -> ServiceResult<ResolvedSale> {
    let now = clock::now();
    let peek = store::sales::by_id(db.read(), req.sale_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !actor.is_admin() && peek.user_id != actor.user_id {
        return Err(ServiceError::NotFound);
    }
    let given = match &req.client_data {
        Some(v) => Some(client_data_content(db, &peek, v).await?),
        None => None,
    };
    let mut tx = db.write().begin().await?;
    let s = store::sales::lock_by_id(&mut tx, req.sale_id, db.row_lock())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let conflict: ConflictRow = store::conflicts::open_for_sale(&mut tx, s.id)
        .await?
        .ok_or_else(|| ServiceError::Conflict("La venta no está en conflicto".into()))?;
    let server: SaleContent = serde_json::from_str(&conflict.server_content)
        .map_err(|e| ServiceError::Internal(format!("conflict {}: {e}", conflict.id)))?;
    let client: SaleContent = serde_json::from_str(&conflict.client_content)
        .map_err(|e| ServiceError::Internal(format!("conflict {}: {e}", conflict.id)))?;
    let (given_content, catalog) = match given {
        Some((c, cat)) => (Some(c), cat),
        None => {
            let v = serde_json::to_value(&client).unwrap_or_default();
            (None, CatalogSnapshot::load(db, &[&v]).await?)
        }
    };
    let chosen = match req.resolution {
        Resolution::ServerWins => Chosen::Server,
        Resolution::ClientWins => Chosen::Content(given_content.unwrap_or(client)),
        Resolution::Manual => Chosen::Content(given_content.ok_or_else(|| {
            ServiceError::invalid("client_data", "client_data es requerido para manual")
        })?),
        Resolution::Merge => {
            let base = base_content(&mut tx, &s, conflict.client_version).await?;
            let current: SaleContent =
                serde_json::from_str(s.content.as_deref().unwrap_or("null")).unwrap_or(server);
            match (base.map(|b| merge(&b, &current, &client)), given_content) {
                (Some(Ok(merged)), _) => Chosen::Content(merged),
                (_, Some(c)) => Chosen::Content(c),
                (Some(Err(fields)), None) => {
                    let names: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
                    return Err(ServiceError::Conflict(format!(
                        "Campos cambiados en ambos lados; enviar client_data: {}",
                        names.join(", ")
                    )));
                }
                (None, None) => {
                    return Err(ServiceError::Conflict(
                        "La versión base del cliente no existe; enviar client_data".into(),
                    ))
                }
            }
        }
    };
    let resolution = req.resolution.as_str();
    let open = OpenConflict {
        db,
        actor,
        sale: &s,
        id: conflict.id,
        catalog: &catalog,
        now: &now,
    };
    let decision = Decision {
        chosen,
        resolution,
        resolved_by: Some(actor.user_id),
        notes: req.notes.as_deref(),
    };
    let version = apply(&mut tx, &open, decision).await?;
    tx.commit().await?;
    events.publish(SyncEvent::ConflictResolved {
        sale_id: s.id,
        resolution: resolution.into(),
    });
    Ok(ResolvedSale {
        id: s.id,
        number: s.number,
        sync_status: SyncStatus::Synced,
        sync_succeeded_at: now,
        version,
        conflict_resolution: resolution.into(),
    })
}
