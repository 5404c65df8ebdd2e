//! `/api/v1/cargue/{seller_code}/…`: the truck-loading sheets.
use super::error::{ApiError, ApiResult};
use super::extract::{Allowed, Auth, JsonBody, PathParam, QueryParams, Staff};
use crate::services::cargue::{self, CheckRequest, LineView, SheetView};
use crate::state::AppState;
use axum::extract::{FromRequest, State};
use axum::Json;
use chrono::{NaiveDate, Utc};
use ruta_shared::wire::cargue::{CloseShift, ReplaceSheet};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DateQuery {
    pub(super) date: Option<String>,
}

/// `YYYY-MM-DD`, defaulting to today in `RUTA_TIMEZONE`.
pub(super) fn date_or_today(st: &AppState, date: Option<&str>) -> ApiResult<NaiveDate> {
    match date.filter(|d| !d.is_empty()) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_request("date debe ser YYYY-MM-DD", "date")),
        None => Ok(Utc::now().with_timezone(&st.config.timezone).date_naive()),
    }
}

pub async fn get(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<DateQuery>,
) -> ApiResult<Json<SheetView>> {
    let date = date_or_today(&st, q.date.as_deref())?;
    Ok(Json(cargue::get(&st.db, &actor, &code, date).await?))
}

pub async fn replace(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Staff>,
    PathParam(code): PathParam<String>,
    QueryParams(q): QueryParams<DateQuery>,
    JsonBody(body): JsonBody<ReplaceSheet>,
) -> ApiResult<Json<SheetView>> {
    let date = date_or_today(&st, q.date.as_deref())?;
    Ok(Json(
        cargue::replace(&st.db, &st.hub, &actor, &code, date, body.lines).await?,
    ))
}

pub async fn check(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(code): PathParam<String>,
    request: axum::extract::Request,
) -> ApiResult<Json<LineView>> {
    // Another seller's sheet is refused before its body is read.
    if !cargue::may_read(&actor, &code) {
        return Err(ApiError::Forbidden);
    }
    let JsonBody(req) = JsonBody::<CheckRequest>::from_request(request, &st).await?;
    let date = date_or_today(&st, req.date.as_deref())?;
    Ok(Json(
        cargue::check(&st.db, &st.hub, &actor, &code, date, &req).await?,
    ))
}

pub async fn close(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Staff>,
    PathParam(code): PathParam<String>,
    JsonBody(body): JsonBody<CloseShift>,
) -> ApiResult<Json<SheetView>> {
    let date = date_or_today(&st, body.date.as_deref())?;
    Ok(Json(
        cargue::close(&st.db, &st.hub, &actor, &code, date).await?,
    ))
}
