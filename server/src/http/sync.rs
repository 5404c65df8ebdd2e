//! `/api/v1/sales/sync/…` and `POST /api/v1/sales/`: the offline client's
//! main door. Every endpoint here draws on the caller's sync budget.
use super::error::{body_of, ApiError, ApiResult};
use super::extract::{Allowed, Auth, JsonBody, PathParam, QueryParams, Uploaders};
use super::pagination::page;
use crate::services::audit::{self, Entry};
use crate::services::sales::{self, SaleFilter};
use crate::services::settlement;
use crate::services::sync::resolve;
use crate::services::{retry, Actor};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::sale::SyncStatus;
use ruta_shared::sync::{
    ResultStatus, UploadRequest, UploadResponse, UploadSummary, MAX_SALES_PER_UPLOAD,
};
use ruta_shared::wire::admin::{RetryRequest, RetryResponse};
use ruta_shared::wire::sales::{
    AlreadyStored, ResolveRequest, ResolveResponse, ResolvedSale, SaleConflict, SaleRefused,
    SyncStatusView,
};
use ruta_shared::wire::PendingSale;
use serde::Deserialize;
use serde_json::Value;

const UPLOADERS: &[Role] = &[Role::Seller, Role::Admin];

/// Role check plus the per-user budget; a throttled request is logged.
pub async fn admit<'a>(st: &AppState, auth: &'a Auth, roles: &[Role]) -> ApiResult<&'a Actor> {
    let actor = auth.require(roles)?;
    if let Err(wait) = st.throttle.check(actor.user_id) {
        let entry = Entry::default().failed("throttled");
        if let Err(e) = audit::record_alone(&st.db, actor, SyncAction::Throttled, entry).await {
            tracing::warn!(error = %e, "cannot log a throttled request");
        }
        return Err(ApiError::Throttled(wait));
    }
    Ok(actor)
}

pub async fn upload(
    State(st): State<AppState>,
    auth: Allowed<Uploaders>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Response> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    let UploadRequest { sales } = serde_json::from_value::<UploadRequest<Value>>(body)
        .map_err(|_| ApiError::bad_request("sales es requerido y debe ser una lista", "sales"))?;
    if sales.is_empty() {
        return Err(ApiError::bad_request("sales no puede estar vacío", "sales"));
    }
    if sales.len() > MAX_SALES_PER_UPLOAD {
        return Err(ApiError::PayloadTooLarge(format!(
            "Máximo {MAX_SALES_PER_UPLOAD} ventas por solicitud"
        )));
    }
    let results = st.sync().upload(actor, &sales).await?;
    let tz = st.config.timezone;
    if let Err(e) =
        settlement::announce_late_sales(&st.db, &st.hub, tz, actor, &sales, &results).await
    {
        // The sales are stored; only the dispatcher's live refresh is missed.
        tracing::warn!(error = %e, "cannot announce late sales");
    }
    let summary = UploadSummary::of(&results);
    let status = if summary.all_failed() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Json(UploadResponse { results, summary })).into_response())
}

/// One sale at a time, with the contract's status codes.
pub async fn create_one(
    State(st): State<AppState>,
    auth: Allowed<Uploaders>,
    JsonBody(sale): JsonBody<Value>,
) -> ApiResult<Response> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    let sync = st.sync();
    let results = sync.upload(actor, std::slice::from_ref(&sale)).await?;
    let Some(r) = results.into_iter().next() else {
        return Err(ApiError::Internal("no result for a single sale".into()));
    };
    match (r.status, r.sale_id) {
        (ResultStatus::Success, Some(id)) if r.is_duplicate() => {
            let row = sales::visible(&st.db, actor, id).await?;
            Ok(Json(AlreadyStored {
                warning: "Venta ya existe".into(),
                id,
                local_id: r.local_id,
                number: r.sale_number,
                timestamp: row.server_timestamp,
            })
            .into_response())
        }
        (ResultStatus::Success, Some(id)) => {
            let row = sales::visible(&st.db, actor, id).await?;
            let created = r.version == Some(1) && r.resolved_by.is_none();
            let code = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((code, Json(sales::view(&row))).into_response())
        }
        (ResultStatus::Conflict, _) => Err(ApiError::Conflict(body_of(&SaleConflict {
            error: "CONFLICT".into(),
            message: "La venta cambió en el servidor desde la versión del cliente".into(),
            local_id: r.local_id,
            sale_id: r.sale_id,
            conflict: r.conflict,
        }))),
        _ => Err(ApiError::BadRequestBody(body_of(&SaleRefused {
            error: r.error.unwrap_or_default(),
            local_id: r.local_id,
            sale_id: r.sale_id,
        }))),
    }
}

#[derive(Deserialize)]
pub struct PendingQuery {
    limit: Option<String>,
    offset: Option<String>,
    seller: Option<String>,
    sync_status: Option<String>,
    device_id: Option<String>,
}

/// `?sync_status=` narrows the unsynced set to one of its statuses.
fn unsynced_statuses(filter: Option<&str>) -> ApiResult<Vec<SyncStatus>> {
    match filter.filter(|s| !s.is_empty()) {
        None => Ok(SyncStatus::UNSYNCED.to_vec()),
        Some(text) => SyncStatus::parse(text)
            .filter(|s| s.is_unsynced())
            .map(|s| vec![s])
            .ok_or_else(|| {
                ApiError::bad_request(
                    "sync_status debe ser pending, error o conflict",
                    "sync_status",
                )
            }),
    }
}

pub async fn pending(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<PendingQuery>,
) -> ApiResult<Json<super::pagination::Paged<PendingSale>>> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let filter = SaleFilter {
        seller_code: q.seller.filter(|s| !s.is_empty()),
        device_id: q.device_id.filter(|s| !s.is_empty()),
        sync_statuses: Some(unsynced_statuses(q.sync_status.as_deref())?),
        ..SaleFilter::default()
    };
    let (count, rows) = sales::list(&st.db, actor, filter, p).await?;
    Ok(Json(super::pagination::paged(
        count,
        p,
        rows.into_iter().map(Into::into).collect(),
    )))
}

pub async fn retry(
    State(st): State<AppState>,
    auth: Allowed<Uploaders>,
    JsonBody(req): JsonBody<RetryRequest>,
) -> ApiResult<Json<RetryResponse>> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    if req.sale_ids.is_empty() {
        return Err(ApiError::bad_request(
            "sale_ids no puede estar vacío",
            "sale_ids",
        ));
    }
    if req.sale_ids.len() > MAX_SALES_PER_UPLOAD {
        return Err(ApiError::PayloadTooLarge(format!(
            "Máximo {MAX_SALES_PER_UPLOAD} ventas por solicitud"
        )));
    }
    let results = retry::queue(&st.db, &st.events, &st.retry_wake, actor, &req.sale_ids).await?;
    let processed = results
        .iter()
        .filter(|r| r.status == ruta_shared::sync::RetryStatus::Queued)
        .count();
    Ok(Json(RetryResponse {
        message: "Retry queued successfully".into(),
        processed,
        results,
    }))
}

pub async fn resolve(
    State(st): State<AppState>,
    auth: Allowed<Uploaders>,
    JsonBody(req): JsonBody<ResolveRequest>,
) -> ApiResult<Json<ResolveResponse>> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    let resolution = req.resolution;
    let sale: ResolvedSale = resolve::resolve(&st.db, &st.events, actor, req).await?;
    Ok(Json(ResolveResponse {
        message: format!("Conflict resolved with {resolution}"),
        sale,
    }))
}

pub async fn status(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<SyncStatusView>> {
    let actor = admit(&st, &auth, UPLOADERS).await?;
    Ok(Json(sales::status(&st.db, actor, id).await?))
}
