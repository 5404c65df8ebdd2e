//! Calls to the server's JSON API (`shared/API.md`). On the server (no
//! `hydrate`) every call answers `Unreachable`: pages render their empty
//! state and the browser fills them in.
use ruta_shared::auth::{LoginRequest, TokenResponse};
use ruta_shared::sync::{UploadRequest, UploadResponse};
use ruta_shared::wire::phone_sale::PhoneSale;
use ruta_shared::wire::ErrorBody;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    BadCredentials,
    /// The token is missing, wrong or revoked (401).
    Unauthorized,
    Forbidden,
    NotFound,
    /// 429, with the server's `Retry-After` in seconds when it sent one.
    Throttled(Option<u64>),
    /// The request was understood and refused (400/409), with the
    /// contract's message.
    Rejected(String),
    /// No answer (offline, server down) or an unexpected one.
    Unreachable,
}

impl ApiError {
    /// Whether sending the same request later may succeed (keep it queued).
    pub fn is_transient(&self) -> bool {
        matches!(self, ApiError::Unreachable | ApiError::Throttled(_))
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

/// What came back: status, body and the `Retry-After` header.
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub retry_after: Option<u64>,
}

/// One request with a typed JSON body (`ruta_shared::wire`), written
/// straight to text: no `Value` in between (less WASM on the phone).
pub async fn send_json<T: DeserializeOwned, B: serde::Serialize>(
    method: Method,
    path: &str,
    token: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode_reply(&send_json_reply(method, path, Some(token), body).await?)
}

/// [`send_json`] for an answer with no body worth reading.
pub async fn send_json_no_content<B: serde::Serialize>(
    method: Method,
    path: &str,
    token: &str,
    body: &B,
) -> Result<(), ApiError> {
    refusal(&send_json_reply(method, path, Some(token), body).await?)
}

async fn send_json_reply<B: serde::Serialize>(
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<Reply, ApiError> {
    let text = serde_json::to_string(body).map_err(|_| ApiError::Unreachable)?;
    transport::send_raw(method, path, token, Some(("application/json", &text))).await
}

/// One JSON request with the device's token.
pub async fn call<T: DeserializeOwned>(
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<T, ApiError> {
    let reply = transport::send(method, path, Some(token), body).await?;
    decode_reply(&reply)
}

/// A request whose answer has no body worth reading (204, 202).
pub async fn call_no_content(
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<(), ApiError> {
    let reply = transport::send(method, path, Some(token), body).await?;
    match reply.status {
        200..=299 => Ok(()),
        _ => decode_reply::<Value>(&reply).map(|_| ()),
    }
}

/// A request with a raw text body (CSV imports) or a text answer (CSV
/// exports).
pub async fn call_text(
    method: Method,
    path: &str,
    token: &str,
    body: Option<(&str, &str)>,
) -> Result<Reply, ApiError> {
    let reply = transport::send_raw(method, path, Some(token), body).await?;
    match reply.status {
        200..=299 => Ok(reply),
        _ => decode_reply::<Value>(&reply).map(|_| reply),
    }
}

fn decode_reply<T: DeserializeOwned>(reply: &Reply) -> Result<T, ApiError> {
    refusal(reply)?;
    serde_json::from_str(&reply.text).map_err(|_| ApiError::Unreachable)
}

/// What a status other than 2xx means. Not generic, so that its code is
/// not repeated for every answer type `decode_reply` reads.
fn refusal(reply: &Reply) -> Result<(), ApiError> {
    let message = || {
        serde_json::from_str::<ErrorBody>(&reply.text)
            .ok()
            .and_then(|b| b.message().map(str::to_owned))
            .unwrap_or_default()
    };
    match reply.status {
        200..=299 => Ok(()),
        400 | 409 | 422 => Err(ApiError::Rejected(message())),
        401 => Err(ApiError::Unauthorized),
        403 => Err(ApiError::Forbidden),
        404 => Err(ApiError::NotFound),
        429 => Err(ApiError::Throttled(reply.retry_after)),
        _ => Err(ApiError::Unreachable),
    }
}

pub async fn login(
    username: &str,
    password: &str,
    device_id: &str,
) -> Result<TokenResponse, ApiError> {
    let body = LoginRequest {
        username: username.to_owned(),
        password: password.to_owned(),
        device_id: Some(device_id.to_owned()),
    };
    let reply = send_json_reply(Method::Post, "/api/v1/auth/token/", None, &body).await?;
    match reply.status {
        401 => Err(ApiError::BadCredentials),
        _ => decode_reply(&reply),
    }
}

pub async fn logout(token: &str) {
    // Best effort: the local session is cleared whatever the server says.
    let _ = transport::send(Method::Post, "/api/v1/auth/logout/", Some(token), None).await;
}

/// The contract answers an upload with per-sale results, with HTTP 200,
/// or 400 when every sale ended in error: both carry the results.
fn decode_upload(reply: &Reply) -> Result<UploadResponse, ApiError> {
    if reply.status == 400 {
        if let Ok(response) = serde_json::from_str(&reply.text) {
            return Ok(response);
        }
    }
    decode_reply(reply)
}

pub async fn upload(token: &str, sales: Vec<&PhoneSale>) -> Result<UploadResponse, ApiError> {
    let body = UploadRequest { sales };
    let reply = send_json_reply(
        Method::Post,
        "/api/v1/sales/sync/upload/",
        Some(token),
        &body,
    )
    .await?;
    decode_upload(&reply)
}

/// Tells the server, with every request from now on (header
/// `X-Ruta-Outbox`), how many sales the outbox holds: the dispatcher's
/// settlement shows it per device.
pub fn report_outbox(unsynced: usize) {
    #[cfg(feature = "hydrate")]
    transport::OUTBOX.with(|n| n.set(u32::try_from(unsynced).ok()));
    #[cfg(not(feature = "hydrate"))]
    let _ = unsynced;
}

#[cfg(feature = "hydrate")]
mod transport {
    use super::{ApiError, Method, Reply};
    use gloo_net::http::{Request, RequestBuilder};
    use ruta_shared::sync::OUTBOX_HEADER;
    use serde_json::Value;
    use std::cell::Cell;

    thread_local! {
        /// Unknown until the sync service has read the outbox.
        pub(super) static OUTBOX: Cell<Option<u32>> = const { Cell::new(None) };
    }

    fn builder(method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut builder: RequestBuilder = match method {
            Method::Get => Request::get(path),
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
            Method::Delete => Request::delete(path),
        };
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Token {token}"));
            if let Some(n) = OUTBOX.with(Cell::get) {
                builder = builder.header(OUTBOX_HEADER, &n.to_string());
            }
        }
        builder
    }

    pub async fn send(
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        let builder = builder(method, path, token);
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Unreachable)?;
        read(request).await
    }

    /// `body` is (content type, text).
    pub async fn send_raw(
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, &str)>,
    ) -> Result<Reply, ApiError> {
        let builder = builder(method, path, token);
        let request = match body {
            Some((content_type, text)) => builder
                .header("Content-Type", content_type)
                .body(text.to_owned()),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Unreachable)?;
        read(request).await
    }

    async fn read(request: gloo_net::http::Request) -> Result<Reply, ApiError> {
        let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        let text = response.text().await.map_err(|_| ApiError::Unreachable)?;
        Ok(Reply {
            status: response.status(),
            text,
            retry_after,
        })
    }
}

#[cfg(not(feature = "hydrate"))]
mod transport {
    use super::{ApiError, Method, Reply};
    use serde_json::Value;

    pub async fn send(
        _method: Method,
        _path: &str,
        _token: Option<&str>,
        _body: Option<&Value>,
    ) -> Result<Reply, ApiError> {
        Err(ApiError::Unreachable)
    }

    pub async fn send_raw(
        _method: Method,
        _path: &str,
        _token: Option<&str>,
        _body: Option<(&str, &str)>,
    ) -> Result<Reply, ApiError> {
        Err(ApiError::Unreachable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
        decode_reply(&Reply {
            status,
            text: text.into(),
            retry_after: None,
        })
    }

    #[test]
    fn statuses_map_to_errors_with_the_contract_message() {
        // The server's 409s for a closed sheet or a refused resolve are
        // `{"detail"}`; read as `"error"` only, they showed no message.
        assert_eq!(
            decode::<Value>(409, r#"{"detail": "La hoja de cargue está cerrada"}"#),
            Err(ApiError::Rejected("La hoja de cargue está cerrada".into()))
        );
        assert_eq!(
            decode::<Value>(400, r#"{"error": "limit inválido", "field": "limit"}"#),
            Err(ApiError::Rejected("limit inválido".into()))
        );
        assert_eq!(decode::<Value>(401, "{}"), Err(ApiError::Unauthorized));
        assert_eq!(
            decode::<Value>(502, "bad gateway"),
            Err(ApiError::Unreachable)
        );
        assert_eq!(decode::<i64>(200, "7"), Ok(7));
        assert_eq!(decode::<i64>(200, "not json"), Err(ApiError::Unreachable));
        assert!(ApiError::Throttled(None).is_transient() && !ApiError::NotFound.is_transient());
        let throttled = Reply {
            status: 429,
            text: r#"{"detail": "Request was throttled. Expected available in 30 seconds."}"#
                .into(),
            retry_after: Some(30),
        };
        assert_eq!(
            decode_reply::<Value>(&throttled),
            Err(ApiError::Throttled(Some(30)))
        );
        let all_failed = Reply {
            status: 400,
            text: r#"{"results": [], "summary": {"total": 0, "successful": 0, "duplicates": 0, "conflicts": 0, "errors": 0}}"#.into(),
            retry_after: None,
        };
        assert!(decode_upload(&all_failed).is_ok());
    }
}
