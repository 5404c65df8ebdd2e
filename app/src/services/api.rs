//! Calls to the server's JSON API (`shared/API.md`).
use ruta_shared::auth::TokenResponse;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    BadCredentials,
    Throttled,
    /// No answer (offline, server down) or an unexpected one.
    Unreachable,
}

#[cfg(feature = "hydrate")]
pub async fn login(
    username: &str,
    password: &str,
    device_id: &str,
) -> Result<TokenResponse, ApiError> {
    use gloo_net::http::Request;
    let body =
        serde_json::json!({"username": username, "password": password, "device_id": device_id});
    let response = Request::post("/api/v1/auth/token/")
        .json(&body)
        .map_err(|_| ApiError::Unreachable)?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    match response.status() {
        200 => response.json().await.map_err(|_| ApiError::Unreachable),
        401 => Err(ApiError::BadCredentials),
        429 => Err(ApiError::Throttled),
        _ => Err(ApiError::Unreachable),
    }
}

#[cfg(feature = "hydrate")]
pub async fn logout(token: &str) {
    // Best effort: the local session is cleared whatever the server says.
    let _ = gloo_net::http::Request::post("/api/v1/auth/logout/")
        .header("Authorization", &format!("Token {token}"))
        .send()
        .await;
}

#[cfg(not(feature = "hydrate"))]
pub async fn login(
    _username: &str,
    _password: &str,
    _device_id: &str,
) -> Result<TokenResponse, ApiError> {
    Err(ApiError::Unreachable)
}

#[cfg(not(feature = "hydrate"))]
pub async fn logout(_token: &str) {}
