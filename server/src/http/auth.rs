//! `/api/v1/auth/…`: tokens in and out.
use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Client, JsonBody};
use crate::services::auth::{self, LoginError};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ruta_shared::auth::{LoginRequest, UserView};
use ruta_shared::validation::MAX_DEVICE_ID_CHARS;

pub async fn token(
    State(st): State<AppState>,
    client: Client,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    if req.username.len() > 64 || req.password.len() > 256 {
        return Err(ApiError::BadCredentials);
    }
    let device_id = req
        .device_id
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if device_id.is_some_and(|d| d.chars().count() > MAX_DEVICE_ID_CHARS) {
        return Err(ApiError::bad_request(
            "device_id: máximo 100 caracteres",
            "device_id",
        ));
    }
    let login = auth::LoginRequest {
        username: &req.username,
        password: &req.password,
        device_id,
        ip: client.ip,
        user_agent: client.user_agent,
    };
    match auth::login(&st.db, &st.hub, &st.login_guard, login).await {
        Ok(response) => {
            // The web pages' session (WebSockets and server-rendered pages);
            // HttpOnly so page scripts never see it.
            let cookie = format!(
                "{}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}",
                super::ws::SESSION_COOKIE,
                response.token,
                st.config.token_ttl.as_secs()
            );
            Ok(([(header::SET_COOKIE, cookie)], Json(response)).into_response())
        }
        Err(LoginError::BadCredentials) => Err(ApiError::BadCredentials),
        Err(LoginError::Throttled(wait)) => Err(ApiError::Throttled(wait)),
        Err(LoginError::Busy) => Err(ApiError::Busy),
        Err(LoginError::Service(e)) => Err(e.into()),
    }
}

pub async fn logout(State(st): State<AppState>, Auth(actor): Auth) -> ApiResult<Response> {
    auth::logout(&st.db, &st.hub, &actor).await?;
    let expired = format!(
        "{}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0",
        super::ws::SESSION_COOKIE
    );
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, expired)]).into_response())
}

pub async fn me(State(st): State<AppState>, Auth(actor): Auth) -> ApiResult<Json<UserView>> {
    let user = crate::services::users::by_id(&st.db, actor.user_id)
        .await?
        .ok_or(ApiError::InvalidToken)?;
    Ok(Json(user))
}
