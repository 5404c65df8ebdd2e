//! The per-entity conflict strategies and "critical" flags an admin sets;
//! each change is logged with the setting it replaced.
use super::audit::{self, Entry};
use super::{Actor, ServiceResult};
use crate::db::Db;
use crate::store;
use ruta_shared::audit::SyncAction;
use ruta_shared::conflict::{EntityType, Strategy};
use ruta_shared::wire::{EntitySettings, SyncConfig};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Clone, Deserialize)]
pub struct EntityConfig {
    pub strategy: Strategy,
    #[serde(default)]
    pub critical: Option<bool>,
}

/// The settings as the contract shows them: `critical` on sales, and
/// wherever it is set.
pub async fn current(db: &Db) -> ServiceResult<SyncConfig> {
    let mut out = SyncConfig::new();
    for row in store::sync_config::all(db.read()).await? {
        let Some(strategy) = Strategy::parse(&row.strategy) else {
            continue;
        };
        let critical =
            (row.entity == EntityType::Sale.as_str() || row.critical.0).then_some(row.critical.0);
        out.insert(row.entity, EntitySettings { strategy, critical });
    }
    Ok(out)
}

/// Applies every change in one transaction, one log row per entity.
pub async fn set(
    db: &Db,
    actor: &Actor,
    changes: &[(EntityType, EntityConfig)],
) -> ServiceResult<()> {
    let mut tx = db.write().begin().await?;
    let before = store::sync_config::all(&mut *tx).await?;
    for (entity, cfg) in changes {
        store::sync_config::set(&mut *tx, *entity, cfg.strategy, cfg.critical).await?;
        let old = before.iter().find(|r| r.entity == entity.as_str());
        let detail = json!({
            "entity": entity,
            "strategy": cfg.strategy,
            "critical": cfg.critical,
            "from": old.map(|r| json!({"strategy": r.strategy, "critical": r.critical.0})),
        });
        audit::record(
            &mut tx,
            db,
            actor,
            SyncAction::ConfigChange,
            Entry::about(detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
