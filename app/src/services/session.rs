//! Who is logged in on this device, and the device's own id (a UUID made
//! once and kept, sent on login and with every sale).
use super::storage;
use ruta_shared::auth::TokenResponse;

pub const SESSION_KEY: &str = "ruta.session";
pub const DEVICE_KEY: &str = "ruta.device_id";

pub fn load() -> Option<TokenResponse> {
    serde_json::from_str(&storage::get(SESSION_KEY)?).ok()
}

pub fn save(session: &TokenResponse) {
    if let Ok(text) = serde_json::to_string(session) {
        storage::set(SESSION_KEY, &text);
    }
}

pub fn clear() {
    storage::remove(SESSION_KEY);
}

/// The device id, created on first use.
pub fn device_id() -> String {
    if let Some(id) = storage::get(DEVICE_KEY) {
        return id;
    }
    let id = new_device_id();
    storage::set(DEVICE_KEY, &id);
    id
}

#[cfg(feature = "hydrate")]
fn new_device_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(not(feature = "hydrate"))]
fn new_device_id() -> String {
    String::new()
}
