//! `/api/v1/webhooks/…` (admin): webhooks, their secrets, test pings and
//! delivery history.
use super::error::ApiResult;
use super::extract::{Admins, Allowed, Auth, JsonBody, PathParam, QueryParams};
use super::pagination::{page, paged, Paged};
use crate::services::webhooks::{self, DeliveryView, NewWebhook, WebhookPatch, WebhookView};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ruta_shared::auth::Role;
use ruta_shared::wire::webhooks::SecretView;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<WebhookView>>> {
    auth.require(&[Role::Admin])?;
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, rows) = webhooks::list(&st.db, p).await?;
    Ok(Json(paged(count, p, rows)))
}

pub async fn create(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    JsonBody(new): JsonBody<NewWebhook>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    let actor = auth.require(&[Role::Admin])?;
    let allow_private = st.config.webhooks.allow_private;
    Ok((
        StatusCode::CREATED,
        Json(webhooks::create(&st.db, actor, new, allow_private).await?),
    ))
}

pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<WebhookView>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(webhooks::get(&st.db, id).await?))
}

pub async fn update(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    PathParam(id): PathParam<i64>,
    JsonBody(patch): JsonBody<WebhookPatch>,
) -> ApiResult<Json<WebhookView>> {
    let actor = auth.require(&[Role::Admin])?;
    let allow_private = st.config.webhooks.allow_private;
    Ok(Json(
        webhooks::update(&st.db, actor, id, patch, allow_private).await?,
    ))
}

pub async fn delete(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(&[Role::Admin])?;
    webhooks::delete(&st.db, actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rotate_secret(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<SecretView>> {
    let actor = auth.require(&[Role::Admin])?;
    let secret = webhooks::rotate_secret(&st.db, actor, id).await?;
    Ok(Json(SecretView { secret }))
}

pub async fn test(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    auth.require(&[Role::Admin])?;
    let delivery = webhooks::test(&st.db, id).await?;
    st.webhook_wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(delivery)))
}

pub async fn deliveries(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<DeliveryView>>> {
    auth.require(&[Role::Admin])?;
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, rows) = webhooks::deliveries(&st.db, id, p).await?;
    Ok(Json(paged(count, p, rows)))
}
