//! `GET /api/v1/sales/` and `GET /api/v1/sales/{id}/`.
use super::error::{ApiError, ApiResult};
use super::extract::{Allowed, Auth, JsonBody, PathParam, QueryParams, Uploaders};
use super::pagination::{page, paged, Paged};
use crate::services::sales::{self, SaleFilter};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ruta_shared::sale::SaleView;
use ruta_shared::wire::sales::VoidRequest;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    seller: Option<String>,
    date: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<SaleView>>> {
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let date = match q.date.filter(|d| !d.is_empty()) {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| ApiError::bad_request("date debe ser YYYY-MM-DD", "date"))?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        None => None,
    };
    let filter = SaleFilter {
        seller_code: q.seller.filter(|s| !s.is_empty()),
        date,
        ..SaleFilter::default()
    };
    let (count, rows) = sales::list(&st.db, &actor, filter, p).await?;
    Ok(Json(paged(
        count,
        p,
        rows.iter().map(sales::view).collect(),
    )))
}

/// `POST /api/v1/sales/{id}/void/`: an admin voids any confirmed sale, a
/// seller their own on the day it was made (offline, the phone sends the
/// void as an edit instead).
pub async fn void(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Uploaders>,
    PathParam(id): PathParam<i64>,
    JsonBody(body): JsonBody<VoidRequest>,
) -> ApiResult<Json<SaleView>> {
    let tz = st.config.timezone;
    let row = crate::services::void::void(&st.db, tz, &actor, id, &body.reason).await?;
    Ok(Json(sales::view(&row)))
}

pub async fn detail(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<SaleView>> {
    Ok(Json(sales::view(
        &sales::visible(&st.db, &actor, id).await?,
    )))
}
