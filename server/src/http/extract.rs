//! Request extractors that answer in the contract's error shapes: the
//! authenticated caller, JSON bodies, and query strings.
use super::error::ApiError;
use crate::services::{auth, devices, Actor};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, StatusCode};
use bytes::Bytes;
use ruta_shared::auth::Role;
use ruta_shared::sync::{MAX_REPORTED_OUTBOX, OUTBOX_HEADER};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// The caller's address: the peer, or the first `X-Forwarded-For` hop when
/// the peer is a configured trusted proxy.
pub fn client_ip(parts: &Parts, state: &AppState) -> Option<String> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if state
        .config
        .trusted_proxies
        .iter()
        .any(|net| net.contains(&peer))
    {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return Some(ip.to_string());
        }
    }
    Some(peer.to_string())
}

pub fn user_agent(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(300).collect())
}

/// The token presented in `Authorization: Token …` (or `Bearer …`).
pub fn presented_token(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let scheme = scheme.to_ascii_lowercase();
    (scheme == "token" || scheme == "bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

/// The phone's `X-Ruta-Outbox` count, when it is a plausible number.
fn reported_outbox(parts: &Parts) -> Option<u32> {
    parts
        .headers
        .get(OUTBOX_HEADER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n <= MAX_REPORTED_OUTBOX)
}

/// An authenticated caller. Missing token → 401; unknown or revoked → 401.
pub struct Auth(pub Actor);

impl Auth {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<&Actor, ApiError> {
        if roles.contains(&self.0.role) {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = presented_token(parts).ok_or(ApiError::NoCredentials)?;
        let mut actor = auth::authenticate(&state.db, &token, state.config.token_ttl)
            .await?
            .ok_or(ApiError::InvalidToken)?;
        actor.ip = client_ip(parts, state);
        actor.user_agent = user_agent(parts);
        tracing::Span::current().record("user_id", actor.user_id);
        if let Some(unsynced) = reported_outbox(parts) {
            devices::note_outbox(&state.db, &state.outbox_reports, &actor, unsynced).await;
        }
        Ok(Auth(actor))
    }
}

/// Where a request came from (for unauthenticated endpoints).
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Client {
            ip: client_ip(parts, state),
            user_agent: user_agent(parts),
        })
    }
}

fn media_type(req: &Request) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
}

/// Reads a whole body within the API's limit (413 above it).
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    // Refuse an announced oversize at once, without reading the body.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > super::MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge(
            "Request entity too large.".into(),
        ));
    }
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge("Request entity too large.".into())
        } else {
            ApiError::bad_request("No se pudo leer el cuerpo", "body")
        }
    })
}

/// A CSV body (`text/csv`, UTF-8): 415 for any other content type, 413
/// over the body limit, 400 when it is not UTF-8.
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if media_type(&req).as_deref() != Some("text/csv") {
            return Err(ApiError::UnsupportedMediaTypeExpected("text/csv"));
        }
        let bytes = body_bytes(req, state).await?;
        String::from_utf8(bytes.to_vec())
            .map(CsvBody)
            .map_err(|_| ApiError::bad_request("el archivo debe estar en UTF-8", "file"))
    }
}

/// A JSON body: 415 without a JSON content type, 413 over the body limit,
/// 400 `{"error", "field"}` when it does not parse.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = media_type(&req)
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = body_bytes(req, state).await?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(JsonBody)
            .map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { "body".to_owned() } else { path };
                ApiError::bad_request(format!("JSON inválido: {}", e.inner()), field)
            })
    }
}

/// Query strings with the contract's 400 on a malformed value.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(QueryParams)
            .map_err(|e| ApiError::bad_request(format!("Parámetros inválidos: {e}"), "query"))
    }
}

/// Path parameters with the contract's 400 (axum's own rejection is plain
/// text): `/api/v1/sales/abc/` or an id past `i64` → `{"error", "field"}`.
pub struct PathParam<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParam<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| PathParam(v))
            .map_err(|e| ApiError::bad_request(format!("Ruta inválida: {}", e.body_text()), "path"))
    }
}

/// A set of roles an endpoint admits, for [`Allowed`].
pub trait RoleSet: Send + Sync {
    const ROLES: &'static [Role];
}

pub struct Admins;
impl RoleSet for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// Sellers and admins: whoever uploads sales.
pub struct Uploaders;
impl RoleSet for Uploaders {
    const ROLES: &'static [Role] = &[Role::Seller, Role::Admin];
}

/// Dispatchers and admins: whoever plans and closes the sheets.
pub struct Staff;
impl RoleSet for Staff {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Dispatcher];
}

/// Admins and sellers (a shop met on the route).
pub struct CustomerCreators;
impl RoleSet for CustomerCreators {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Seller];
}

/// An authenticated caller whose role is in `R`, refused (401/403) before
/// any later extractor runs: a wrong role gets its 403 without the body
/// being read, parsed or its validation messages shown.
pub struct Allowed<R>(pub Auth, pub std::marker::PhantomData<R>);

impl<R> std::ops::Deref for Allowed<R> {
    type Target = Auth;
    fn deref(&self) -> &Auth {
        &self.0
    }
}

impl<R: RoleSet> FromRequestParts<AppState> for Allowed<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.require(R::ROLES)?;
        Ok(Self(auth, std::marker::PhantomData))
    }
}
