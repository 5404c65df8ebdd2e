//! `POST /api/v1/products/import/` and `/api/v1/customers/import/` (admin):
//! CSV in, a per-row report out.
use super::error::ApiResult;
use super::extract::{Admins, Allowed, CsvBody};
use crate::services::import::{self, ImportReport};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ruta_shared::auth::Role;

pub async fn products(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    CsvBody(text): CsvBody,
) -> ApiResult<Json<ImportReport>> {
    let actor = auth.require(&[Role::Admin])?;
    Ok(Json(import::products(&st.db, actor, &text).await?))
}

pub async fn customers(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    CsvBody(text): CsvBody,
) -> ApiResult<Json<ImportReport>> {
    let actor = auth.require(&[Role::Admin])?;
    Ok(Json(import::customers(&st.db, actor, &text).await?))
}
