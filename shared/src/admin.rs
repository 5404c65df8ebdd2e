//! The admin dashboard's wire types: what the server's admin endpoints
//! send and the dashboard pages read (`docs/api.md`, "Admin dashboard").
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /api/v1/admin/overview/`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Overview {
    pub generated_at: String,
    pub date: String,
    pub timezone: String,
    pub devices_total: i64,
    pub devices_online: i64,
    pub devices: Vec<Device>,
    pub sales_today: SalesToday,
    pub sync: SyncCounts,
    pub retry_queue: i64,
    pub sales_per_hour: Vec<i64>,
    pub uploads_per_device: Vec<DeviceUploads>,
    pub latency: Vec<LatencyBucket>,
    pub errors_per_day: Vec<DayCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub device_id: String,
    /// The name an admin gave it ("Tablet camión 3").
    #[serde(default)]
    pub name: Option<String>,
    pub username: String,
    pub seller_code: Option<String>,
    pub last_seen_at: Option<String>,
    pub last_sync_at: Option<String>,
    pub online: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SalesToday {
    pub count: i64,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncCounts {
    pub pending: i64,
    pub error: i64,
    pub conflict: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceUploads {
    pub device_id: String,
    pub seller_code: Option<String>,
    pub uploads: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyBucket {
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    pub date: String,
    pub count: i64,
}

/// An open conflict as `GET /api/v1/sync/conflicts/` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSummary {
    pub id: i64,
    pub sale_id: i64,
    pub sale_number: Option<String>,
    pub local_id: String,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub customer_name: Option<String>,
    pub fields: Vec<String>,
    pub server_version: i64,
    pub client_version: i64,
    pub created_at: String,
}

/// One conflict with both stored copies (`/sync/conflicts/{sale_id}/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictDetail {
    #[serde(flatten)]
    pub summary: ConflictSummary,
    pub server: Value,
    pub client: Value,
}
