//! Conflict strategy per entity type.
use super::Flag;
use ruta_shared::conflict::{EntityType, Strategy};
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct StrategyRow {
    pub entity: String,
    pub strategy: String,
    #[sqlx(try_from = "i64")]
    pub critical: Flag,
}

pub async fn all<'e>(db: impl AnyExecutor<'e>) -> Result<Vec<StrategyRow>, sqlx::Error> {
    sqlx::query_as("SELECT entity, strategy, critical FROM sync_config ORDER BY entity")
        .fetch_all(db)
        .await
}

pub async fn strategy_for<'e>(
    db: impl AnyExecutor<'e>,
    entity: EntityType,
) -> Result<Option<Strategy>, sqlx::Error> {
    let s: Option<String> =
        sqlx::query_scalar("SELECT strategy FROM sync_config WHERE entity = $1")
            .bind(entity.as_str())
            .fetch_optional(db)
            .await?;
    Ok(s.as_deref().and_then(Strategy::parse))
}

pub async fn set<'e>(
    db: impl AnyExecutor<'e>,
    entity: EntityType,
    strategy: Strategy,
    critical: Option<bool>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_config (entity, strategy, critical) VALUES ($1, $2, COALESCE($3, 0)) \
         ON CONFLICT (entity) DO UPDATE SET strategy = $2, critical = COALESCE($3, sync_config.critical)",
    )
    .bind(entity.as_str())
    .bind(strategy.as_str())
    .bind(critical.map(i64::from))
    .execute(db)
    .await
    .map(|_| ())
}
