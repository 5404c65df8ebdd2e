//! `/api/v1/business/`: the business profile receipts print. Every role
//! reads it (the phone keeps a copy for offline receipts); an admin saves it.
use super::error::ApiResult;
use super::extract::{Admins, Allowed, Auth, JsonBody};
use crate::services::business;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use ruta_shared::wire::business::BusinessProfile;

pub async fn get(State(st): State<AppState>, _auth: Auth) -> ApiResult<Json<BusinessProfile>> {
    Ok(Json(business::profile(&st.db).await?))
}

pub async fn put(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Admins>,
    JsonBody(body): JsonBody<BusinessProfile>,
) -> ApiResult<Json<BusinessProfile>> {
    Ok(Json(business::save(&st.db, &actor, &body).await?))
}
