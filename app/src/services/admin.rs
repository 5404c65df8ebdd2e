//! The admin dashboard's calls: typed views of the admin endpoints
//! (`docs/api.md`, "Added endpoints") and of the contract's admin sections.
use super::api::{self, ApiError, Method};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// A contract list page: `{"count", "limit", "offset", "results"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    pub count: i64,
    #[serde(default)]
    pub offset: i64,
    pub results: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            count: 0,
            offset: 0,
            results: Vec::new(),
        }
    }
}

pub use ruta_shared::admin::{ConflictDetail, ConflictSummary, Overview};

/// A sale waiting on the server: pending, error or conflict.
pub use ruta_shared::wire::PendingSale;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RetryResult {
    pub sale_id: i64,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RetryResponse {
    pub processed: i64,
    pub results: Vec<RetryResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LogRow {
    pub id: i64,
    pub action: String,
    pub username: Option<String>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub ip: Option<String>,
    pub sale_id: Option<i64>,
    pub success: bool,
    pub error: Option<String>,
    pub timestamp: String,
    pub chain: String,
    /// What an admin or security action changed (absent on sale rows).
    #[serde(default)]
    pub detail: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct LogPage {
    pub results: Vec<LogRow>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Verification {
    pub ok: bool,
    pub rows: Option<i64>,
    pub chain: Option<String>,
    pub first_bad_row: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub seller_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeviceToken {
    pub id: i64,
    pub device_id: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ImportRejection {
    pub row: i64,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ImportReport {
    pub imported: i64,
    pub created: i64,
    pub updated: i64,
    pub rejected: Vec<ImportRejection>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: String,
    pub last_delivery_status: Option<String>,
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Delivery {
    /// The delivery's UUID (also the body's `id` and `X-Ruta-Delivery`).
    pub id: String,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: String,
    pub last_attempt_at: Option<String>,
    pub next_attempt_at: Option<String>,
}

/// Percent-encodes a query value (the few characters that matter in
/// filters people type: spaces, `&`, `+`, `#`, `%`, non-ASCII).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `key=value` pairs with empty values left out, as a query string.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let joined: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if joined.is_empty() {
        String::new()
    } else {
        format!("?{}", joined.join("&"))
    }
}

pub async fn get<T: DeserializeOwned>(token: &str, path: &str) -> Result<T, ApiError> {
    api::call(Method::Get, path, token, None).await
}

pub async fn send<T: DeserializeOwned>(
    token: &str,
    method: Method,
    path: &str,
    body: &Value,
) -> Result<T, ApiError> {
    api::call(method, path, token, Some(body)).await
}

pub async fn overview(token: &str) -> Result<Overview, ApiError> {
    get(token, "/api/v1/admin/overview/").await
}

pub async fn retry(token: &str, sale_ids: &[i64]) -> Result<RetryResponse, ApiError> {
    let body = serde_json::json!({ "sale_ids": sale_ids });
    send(token, Method::Post, "/api/v1/sales/sync/retry/", &body).await
}

/// Uploads a CSV file to an import endpoint.
pub async fn import_csv(token: &str, path: &str, csv: &str) -> Result<ImportReport, ApiError> {
    let reply = api::call_text(
        Method::Post,
        path,
        token,
        Some(("text/csv; charset=utf-8", csv)),
    )
    .await?;
    serde_json::from_str(&reply.text).map_err(|_| ApiError::Unreachable)
}

pub async fn export_csv(token: &str, path: &str) -> Result<String, ApiError> {
    Ok(api::call_text(Method::Get, path, token, None).await?.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_leave_out_empty_filters_and_encode_values() {
        assert_eq!(query(&[("action", ""), ("seller", "")]), "");
        assert_eq!(
            query(&[("action", "conflict"), ("device_id", "a b&c"), ("x", "")]),
            "?action=conflict&device_id=a%20b%26c"
        );
        assert_eq!(encode("ñ"), "%C3%B1");
    }

    #[test]
    fn an_overview_reads_from_the_documented_shape() {
        let body = serde_json::json!({
            "generated_at": "2026-11-29T10:00:00.000Z", "date": "2026-11-29",
            "devices_total": 1, "devices_online": 1,
            "devices": [{"device_id": "D1", "username": "ana", "seller_code": "ID1",
                         "last_seen_at": null, "last_sync_at": null, "online": true}],
            "sales_today": {"count": 2, "amount": "10.50"},
            "sync": {"pending": 0, "error": 1, "conflict": 2}, "retry_queue": 0,
            "sales_per_hour": vec![0; 24],
            "uploads_per_device": [{"device_id": "D1", "seller_code": "ID1", "uploads": 3}],
            "latency": [{"label": "< 1 min", "count": 2}],
            "errors_per_day": [{"date": "2026-11-29", "count": 1}], "timezone": "UTC"
        });
        let o: Overview = serde_json::from_value(body).unwrap();
        assert_eq!(o.sync.conflict, 2);
        assert_eq!(o.sales_per_hour.len(), 24);
        assert_eq!(o.devices[0].seller_code.as_deref(), Some("ID1"));
    }
}
