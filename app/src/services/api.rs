//! Calls to the server's JSON API (`shared/API.md`). On the server (no
//! `hydrate`) every call answers `Unreachable`: pages render their empty
//! state and the browser fills them in.
use ruta_shared::auth::TokenResponse;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    BadCredentials,
    /// The token is missing, wrong or revoked (401).
    Unauthorized,
    Forbidden,
    NotFound,
    Throttled,
    /// The request was understood and refused (400/409), with the
    /// contract's message.
    Rejected(String),
    /// No answer (offline, server down) or an unexpected one.
    Unreachable,
}

impl ApiError {
    /// Whether sending the same request later may succeed (keep it queued).
    pub fn is_transient(&self) -> bool {
        matches!(self, ApiError::Unreachable | ApiError::Throttled)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
}

/// One JSON request with the device's token.
pub async fn call<T: DeserializeOwned>(
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<T, ApiError> {
    let (status, text) = transport::send(method, path, Some(token), body).await?;
    decode(status, &text)
}

fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    let message = || {
        serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default()
    };
    match status {
        200..=299 => serde_json::from_str(text).map_err(|_| ApiError::Unreachable),
        400 | 409 | 422 => Err(ApiError::Rejected(message())),
        401 => Err(ApiError::Unauthorized),
        403 => Err(ApiError::Forbidden),
        404 => Err(ApiError::NotFound),
        429 => Err(ApiError::Throttled),
        _ => Err(ApiError::Unreachable),
    }
}

pub async fn login(
    username: &str,
    password: &str,
    device_id: &str,
) -> Result<TokenResponse, ApiError> {
    let body =
        serde_json::json!({"username": username, "password": password, "device_id": device_id});
    let (status, text) =
        transport::send(Method::Post, "/api/v1/auth/token/", None, Some(&body)).await?;
    match status {
        401 => Err(ApiError::BadCredentials),
        _ => decode(status, &text),
    }
}

pub async fn logout(token: &str) {
    // Best effort: the local session is cleared whatever the server says.
    let _ = transport::send(Method::Post, "/api/v1/auth/logout/", Some(token), None).await;
}

#[cfg(feature = "hydrate")]
mod transport {
    use super::{ApiError, Method};
    use gloo_net::http::{Request, RequestBuilder};
    use serde_json::Value;

    pub async fn send(
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(u16, String), ApiError> {
        let mut builder: RequestBuilder = match method {
            Method::Get => Request::get(path),
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
        };
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Token {token}"));
        }
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Unreachable)?;
        let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
        let text = response.text().await.map_err(|_| ApiError::Unreachable)?;
        Ok((response.status(), text))
    }
}

#[cfg(not(feature = "hydrate"))]
mod transport {
    use super::{ApiError, Method};
    use serde_json::Value;

    pub async fn send(
        _method: Method,
        _path: &str,
        _token: Option<&str>,
        _body: Option<&Value>,
    ) -> Result<(u16, String), ApiError> {
        Err(ApiError::Unreachable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_errors_with_the_contract_message() {
        assert_eq!(
            decode::<Value>(409, r#"{"error": "La hoja de cargue está cerrada"}"#),
            Err(ApiError::Rejected("La hoja de cargue está cerrada".into()))
        );
        assert_eq!(decode::<Value>(401, "{}"), Err(ApiError::Unauthorized));
        assert_eq!(
            decode::<Value>(502, "bad gateway"),
            Err(ApiError::Unreachable)
        );
        assert_eq!(decode::<i64>(200, "7"), Ok(7));
        assert!(ApiError::Throttled.is_transient() && !ApiError::NotFound.is_transient());
    }
}
