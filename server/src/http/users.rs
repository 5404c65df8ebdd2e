//! `/api/v1/users/…` (admin): users, their passwords and device tokens.
use super::error::ApiResult;
use super::extract::{Admins, Allowed, Auth, JsonBody, PathParam, QueryParams};
use super::pagination::{page, paged, Paged};
use crate::services::devices;
use crate::services::users::{self, NewUser};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ruta_shared::auth::{Role, UserView};
use ruta_shared::wire::users::{DeviceName, DeviceToken, PasswordReset, RenameDevice, Seller};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn create(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    JsonBody(new): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let actor = auth.require(&[Role::Admin])?;
    Ok((
        StatusCode::CREATED,
        Json(users::create(&st.db, actor, new).await?),
    ))
}

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<UserView>>> {
    auth.require(&[Role::Admin])?;
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, users) = users::page(&st.db, p).await?;
    Ok(Json(paged(count, p, users)))
}

pub async fn reset_password(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Admins>,
    PathParam(id): PathParam<i64>,
    JsonBody(body): JsonBody<PasswordReset>,
) -> ApiResult<StatusCode> {
    users::reset_password(&st.db, &st.hub, &actor, id, body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn tokens(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<Vec<DeviceToken>>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(users::device_tokens(&st.db, id).await?))
}

pub async fn revoke_token(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(&[Role::Admin])?;
    if crate::services::auth::revoke_by_admin(&st.db, &st.hub, actor, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(super::error::ApiError::NotFound)
    }
}

/// `GET /api/v1/sellers/` (dispatcher, admin): whose trucks there are to load.
pub async fn sellers(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Seller>>> {
    auth.require(&[Role::Admin, Role::Dispatcher])?;
    Ok(Json(users::sellers(&st.db).await?))
}

/// `GET /api/v1/devices/{device_id}/` (admin; a seller for their own device).
pub async fn device(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(device_id): PathParam<String>,
) -> ApiResult<Json<DeviceName>> {
    Ok(Json(devices::name(&st.db, &actor, &device_id).await?))
}

/// `PUT /api/v1/devices/{device_id}/name/` (admin).
pub async fn rename_device(
    State(st): State<AppState>,
    Allowed(Auth(actor), _): Allowed<Admins>,
    PathParam(device_id): PathParam<String>,
    JsonBody(body): JsonBody<RenameDevice>,
) -> ApiResult<Json<DeviceName>> {
    Ok(Json(
        devices::rename(&st.db, &actor, &device_id, &body.name).await?,
    ))
}
