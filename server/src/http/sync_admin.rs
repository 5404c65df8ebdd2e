//! `/api/v1/sync/config/`, `/api/v1/sync/log/` and its verification (admin).
use super::error::{ApiError, ApiResult};
use super::extract::{Auth, JsonBody, QueryParams};
use super::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::clock;
use crate::config::RateLimit;
use crate::services::audit::{self, Verification};
use crate::services::throttle;
use crate::state::AppState;
use crate::store::{self, audit::LogFilter, audit::LogRow};
use axum::extract::State;
use axum::Json;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::conflict::{EntityType, Strategy};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

async fn config_body(st: &AppState) -> ApiResult<Value> {
    let mut out = Map::new();
    for row in store::sync_config::all(&st.db.read).await? {
        let mut v = json!({ "strategy": row.strategy });
        if row.entity == EntityType::Sale.as_str() || row.critical.0 {
            v["critical"] = json!(row.critical.0);
        }
        out.insert(row.entity, v);
    }
    Ok(Value::Object(out))
}

pub async fn get_config(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Value>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(config_body(&st).await?))
}

#[derive(Deserialize)]
pub struct EntityConfig {
    strategy: Strategy,
    #[serde(default)]
    critical: Option<bool>,
}

/// Partial: only the entities sent change.
pub async fn put_config(
    State(st): State<AppState>,
    auth: Auth,
    JsonBody(body): JsonBody<BTreeMap<String, EntityConfig>>,
) -> ApiResult<Json<Value>> {
    auth.require(&[Role::Admin])?;
    let mut changes = Vec::new();
    for (entity, cfg) in body {
        let e = EntityType::parse(&entity).ok_or_else(|| {
            ApiError::bad_request(
                "entidad desconocida (sale, customer, product)",
                entity.clone(),
            )
        })?;
        changes.push((e, cfg));
    }
    for (e, cfg) in changes {
        store::sync_config::set(&st.db.write, e, cfg.strategy, cfg.critical).await?;
    }
    Ok(Json(config_body(&st).await?))
}

#[derive(Deserialize)]
pub struct LogQuery {
    action: Option<String>,
    device_id: Option<String>,
    seller: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn time_bound(v: Option<String>, field: &str) -> ApiResult<Option<String>> {
    nonempty(v)
        .map(|t| {
            clock::parse(&t).map(clock::format).ok_or_else(|| {
                ApiError::bad_request(format!("{field} debe ser RFC 3339 o YYYY-MM-DD"), field)
            })
        })
        .transpose()
}

pub async fn log(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<LogQuery>,
) -> ApiResult<Json<Value>> {
    auth.require(&[Role::Admin])?;
    let limit = super::pagination::page(q.limit.as_deref(), None)?
        .limit
        .min(MAX_LIMIT);
    let limit = if q.limit.is_none() {
        DEFAULT_LIMIT
    } else {
        limit
    };
    if let Some(a) = q.action.as_deref().filter(|a| !a.is_empty()) {
        if SyncAction::parse(a).is_none() {
            return Err(ApiError::bad_request("action desconocida", "action"));
        }
    }
    let before_id = match nonempty(q.cursor) {
        Some(c) => Some(
            c.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| ApiError::bad_request("cursor inválido", "cursor"))?,
        ),
        None => None,
    };
    let filter = LogFilter {
        action: nonempty(q.action),
        device_id: nonempty(q.device_id),
        seller_code: nonempty(q.seller),
        since: time_bound(q.since, "since")?,
        until: time_bound(q.until, "until")?,
        before_id,
    };
    let rows: Vec<LogRow> = store::audit::page(&st.db.read, &filter, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let rows: Vec<LogRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = has_more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(json!({ "results": rows, "next_cursor": next_cursor })))
}

pub async fn verify(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Verification>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(audit::verify(&st.db).await?))
}

#[derive(Serialize, Deserialize)]
pub struct SyncRate {
    /// `50/hour`, `1000/minute`, `off`…
    rate: String,
}

/// The sync rate limit in force (`RUTA_SYNC_RATE` unless an admin saved one).
pub async fn get_rate(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<SyncRate>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(SyncRate {
        rate: st.throttle.limit().to_string(),
    }))
}

/// Saves a new limit; it applies here at once and on other instances
/// within 30 s.
pub async fn put_rate(
    State(st): State<AppState>,
    auth: Auth,
    JsonBody(body): JsonBody<SyncRate>,
) -> ApiResult<Json<SyncRate>> {
    auth.require(&[Role::Admin])?;
    let limit = RateLimit::parse(&body.rate)
        .map_err(|reason| ApiError::bad_request(format!("rate inválido: {reason}"), "rate"))?;
    throttle::save(&st.db, &st.throttle, limit).await?;
    Ok(Json(SyncRate {
        rate: limit.to_string(),
    }))
}
