//! The one error type of the HTTP layer and its contract-shaped bodies:
//! `{"detail": …}` for auth, limits and server faults, `{"error", "field"}`
//! for a malformed request. 500s say nothing about the cause; the cause is
//! logged once, here, where the response is made.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ruta_shared::catalog::CatalogConflict;
use ruta_shared::wire::ErrorBody;
use serde_json::Value;

use crate::db::Outage;

/// The 503 detail: the database is down or read-only; nothing was stored.
pub const UNAVAILABLE: &str = "Database unavailable; nothing was stored, retry later.";
/// The 507 detail: the database has no space left; nothing was stored.
pub const FULL: &str = "Database out of space; nothing was stored, retry later.";
/// The 500 detail: the cause is in the log, not in the answer.
const INTERNAL: &str = "Internal server error.";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Authentication credentials were not provided.")]
    NoCredentials,
    #[error("Invalid token.")]
    InvalidToken,
    #[error("Usuario o contraseña incorrectos")]
    BadCredentials,
    #[error("You do not have permission to perform this action.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Method not allowed.")]
    MethodNotAllowed,
    #[error("Unsupported media type; send application/json.")]
    UnsupportedMediaType,
    /// A 415 for an endpoint that takes another media type than JSON.
    #[error("Unsupported media type; send {0}.")]
    UnsupportedMediaTypeExpected(&'static str),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("Request was throttled. Expected available in {0} seconds.")]
    Throttled(u64),
    /// Every password check slot is taken (login protection).
    #[error("Server busy; try again in a few seconds.")]
    Busy,
    #[error("{error}")]
    BadRequest {
        error: String,
        field: Option<String>,
    },
    /// A 400 with a body of the contract's own shape (e.g. single-sale POST).
    #[error("bad request")]
    BadRequestBody(Value),
    /// A 409 with a body of the contract's own shape.
    #[error("conflict")]
    Conflict(Value),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(error: impl Into<String>, field: impl Into<String>) -> Self {
        Self::BadRequest {
            error: error.into(),
            field: Some(field.into()),
        }
    }

    pub fn conflict_detail(detail: impl Into<String>) -> Self {
        Self::Conflict(body(ErrorBody::detail(detail)))
    }

    /// Maps a unique-constraint violation to a 400 on `field`; anything
    /// else stays a database error.
    pub fn unique_to_400(e: sqlx::Error, field: &str, message: &str) -> Self {
        if crate::db::is_unique_violation(&e) {
            Self::bad_request(message, field)
        } else {
            Self::Database(e)
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::NoCredentials | Self::InvalidToken | Self::BadCredentials => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType | Self::UnsupportedMediaTypeExpected(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadRequest { .. } | Self::BadRequestBody(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Database(e) => match crate::db::outage_of(e) {
                Some(Outage::Unavailable) => StatusCode::SERVICE_UNAVAILABLE,
                Some(Outage::Full) => StatusCode::INSUFFICIENT_STORAGE,
                None => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::services::ServiceError> for ApiError {
    fn from(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError as S;
        match e {
            S::Database(e) => Self::Database(e),
            S::NotFound => Self::NotFound,
            S::Forbidden => Self::Forbidden,
            S::Invalid { field, message } => Self::BadRequest {
                error: message,
                field: Some(field.to_owned()),
            },
            S::Conflict(detail) => Self::conflict_detail(detail),
            S::StaleEdit(stale) => Self::Conflict(body_of(&CatalogConflict {
                error: "CONFLICT".into(),
                message: stale.message(),
                id: stale.id,
                conflict: stale.conflict,
            })),
            S::Internal(m) => Self::Internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Self::BadRequest { error, field } => body(ErrorBody::invalid(error, field.clone())),
            Self::BadRequestBody(v) | Self::Conflict(v) => v.clone(),
            // An outage is the database's state, not a bug: a warning, and
            // a detail that tells the client to retry.
            Self::Database(e) => match crate::db::outage_of(e) {
                Some(Outage::Unavailable) => {
                    tracing::warn!(error = %e, "database unavailable");
                    body(ErrorBody::detail(UNAVAILABLE))
                }
                Some(Outage::Full) => {
                    tracing::warn!(error = %e, "database out of space");
                    body(ErrorBody::detail(FULL))
                }
                None => {
                    tracing::error!(error = %e, "database error");
                    body(ErrorBody::detail(INTERNAL))
                }
            },
            Self::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                body(ErrorBody::detail(INTERNAL))
            }
            other => body(ErrorBody::detail(other.to_string())),
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::Throttled(secs) = self {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if matches!(self, Self::Busy) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if matches!(self, Self::NoCredentials | Self::InvalidToken) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
        }
        response
    }
}

/// The shared body as JSON (a plain struct of strings: it always serialises).
fn body(b: ErrorBody) -> Value {
    body_of(&b)
}

/// A typed body (`ruta_shared::wire`) as the JSON an error carries.
pub fn body_of<T: serde::Serialize>(b: &T) -> Value {
    serde_json::to_value(b).unwrap_or_default()
}

pub type ApiResult<T> = Result<T, ApiError>;
