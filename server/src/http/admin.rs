//! The admin dashboard's reads: `/api/v1/admin/overview/` and the open
//! conflicts (`/api/v1/sync/conflicts/…`). Admin only.
use super::error::ApiResult;
use super::extract::{Auth, PathParam, QueryParams};
use super::pagination::{page, paged, Paged};
use crate::services::conflicts::{self, ConflictDetail, ConflictSummary};
use crate::services::overview::{self, Overview};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ruta_shared::auth::Role;
use serde::Deserialize;

pub async fn overview(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Overview>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(overview::overview(&st.db, st.config.timezone).await?))
}

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn conflicts(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<ConflictSummary>>> {
    auth.require(&[Role::Admin])?;
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, rows) = conflicts::list(&st.db, p).await?;
    Ok(Json(paged(count, p, rows)))
}

pub async fn conflict(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(sale_id): PathParam<i64>,
) -> ApiResult<Json<ConflictDetail>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(conflicts::of_sale(&st.db, sale_id).await?))
}
