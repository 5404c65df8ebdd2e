//! The admin dashboard's calls: typed views of the admin endpoints
//! (`docs/api.md`, "Added endpoints") and of the contract's admin sections.
use super::api::{self, ApiError, Method};
use serde::de::DeserializeOwned;

pub use ruta_shared::admin::{ConflictDetail, ConflictSummary, Overview};
pub use ruta_shared::auth::UserView as User;
pub use ruta_shared::wire::admin::{
    ImportReport, LogEntry as LogRow, RejectedRow as ImportRejection, RetryItem as RetryResult,
    RetryRequest, RetryResponse, Verification,
};
pub use ruta_shared::wire::business::BusinessProfile;
pub use ruta_shared::wire::office::{SaleHistory, SaleVersion};
pub use ruta_shared::wire::users::{DeviceName, DeviceToken};
pub use ruta_shared::wire::webhooks::{DeliveryView as Delivery, WebhookView as Webhook};
/// A sale waiting on the server: pending, error or conflict.
pub use ruta_shared::wire::PendingSale;
pub use ruta_shared::wire::{CursorPage, Page};

/// A page of the audit log.
pub type LogPage = CursorPage<LogRow>;

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

pub async fn send<T: DeserializeOwned, B: serde::Serialize>(
    token: &str,
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    api::send_json(method, path, token, body).await
}

pub async fn overview(token: &str) -> Result<Overview, ApiError> {
    get(token, "/api/v1/admin/overview/").await
}

pub async fn retry(token: &str, sale_ids: &[i64]) -> Result<RetryResponse, ApiError> {
    let body = RetryRequest {
        sale_ids: sale_ids.to_vec(),
    };
    send(token, Method::Post, "/api/v1/sales/sync/retry/", &body).await
}

/// `PUT /api/v1/devices/{id}/name/`: the name an admin gives a device.
pub async fn rename_device(
    token: &str,
    device_id: &str,
    name: &str,
) -> Result<DeviceName, ApiError> {
    let body = ruta_shared::wire::users::RenameDevice {
        name: name.to_owned(),
    };
    let path = format!("/api/v1/devices/{}/name/", encode(device_id));
    send(token, Method::Put, &path, &body).await
}

/// `POST /api/v1/sales/{id}/void/`: the sale as it stands once voided.
pub async fn void_sale(
    token: &str,
    sale_id: i64,
    reason: &str,
) -> Result<ruta_shared::sale::SaleView, ApiError> {
    let body = ruta_shared::wire::sales::VoidRequest {
        reason: reason.to_owned(),
    };
    let path = format!("/api/v1/sales/{sale_id}/void/");
    send(token, Method::Post, &path, &body).await
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
