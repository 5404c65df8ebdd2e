//! `/api/v1/cargue/{seller_code}/settlement/…`: a seller's day settled.
use super::cargue::{date_or_today, DateQuery};
use super::error::ApiResult;
use super::extract::{Admins, Allowed, Auth, JsonBody, PathParam, QueryParams, Staff};
use crate::services::settlement;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ruta_shared::wire::settlement::{ReopenRequest, SettleRequest, SettlementView};

/// The day's figures, live, with the count once there is one
/// (dispatcher, admin, and that seller).
pub async fn get(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<DateQuery>,
) -> ApiResult<Json<SettlementView>> {
    let date = date_or_today(&st, q.date.as_deref())?;
    let tz = st.config.timezone;
    Ok(Json(
        settlement::view(&st.db, tz, &actor, &code, date).await?,
    ))
}

/// Every version the day was settled with, oldest first.
pub async fn versions(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Staff>,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<DateQuery>,
) -> ApiResult<Json<Vec<SettlementView>>> {
    let date = date_or_today(&st, q.date.as_deref())?;
    Ok(Json(
        settlement::versions(&st.db, &actor, &code, date).await?,
    ))
}

pub async fn settle(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Staff>,
    PathParam(code): PathParam<String>,
    JsonBody(body): JsonBody<SettleRequest>,
) -> ApiResult<Json<SettlementView>> {
    let date = date_or_today(&st, body.date.as_deref())?;
    let tz = st.config.timezone;
    Ok(Json(
        settlement::settle(&st.db, &st.hub, tz, &actor, &code, date, &body).await?,
    ))
}

pub async fn reopen(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Admins>,
    PathParam(code): PathParam<String>,
    JsonBody(body): JsonBody<ReopenRequest>,
) -> ApiResult<Json<SettlementView>> {
    let date = date_or_today(&st, body.date.as_deref())?;
    let tz = st.config.timezone;
    Ok(Json(
        settlement::reopen(&st.db, &st.hub, tz, &actor, &code, date, &body.reason).await?,
    ))
}
