//! The seller's end of day on the phone, offline first: "Mi día"
//! (`/mi-dia`, [`my_day`]) and a sale's receipt (`/recibo?sale=`,
//! [`receipt`]), with "Compartir" as a PNG and "Imprimir" on thermal or
//! A4 paper ([`share`]), and the void of a sale made today.
//!
//! Both pages hydrate with the office bundle: the phone's own bundle has
//! no room left for them (docs/wasm-size.md). The seller reaches them by
//! a link (a full page load) and the service worker keeps them and the
//! office bundle for offline use. Everything they show comes from the
//! phone: the outbox (every sale made here, synced or not), the cached
//! cargue sheet, and the copies of the business profile and the device's
//! name kept below.
pub mod my_day;
pub mod receipt;
mod share;
mod void;

use crate::i18n::when;
use crate::pages::access::Access;
use crate::services::api::{self, ApiError, Method};
use crate::services::outbox::OutboxRecord;
use crate::services::{session, storage};
use leptos::prelude::*;
use ruta_shared::day::date_part;
use ruta_shared::planner::LocalState;
use ruta_shared::sale::SaleContent;
use ruta_shared::wire::business::BusinessProfile;
use ruta_shared::wire::users::DeviceName;
use serde::Deserialize;

const BUSINESS_KEY: &str = "ruta.business";
const DEVICE_NAME_KEY: &str = "ruta.device_name";

/// When a stored sale was made, as the wire sale says.
#[derive(Deserialize)]
struct Stamps {
    #[serde(default)]
    created_at: String,
}

/// A sale of the outbox as the shared rules read it: its content and
/// when it was made. Read from the record's wire text, so it does not
/// depend on how the outbox holds the sale in memory.
#[derive(Clone, PartialEq)]
pub(crate) struct DaySale {
    pub record: OutboxRecord,
    pub content: SaleContent,
    pub created_at: String,
}

impl DaySale {
    pub fn read(record: &OutboxRecord) -> Option<Self> {
        let text = serde_json::to_string(&record.sale).ok()?;
        let content: SaleContent = serde_json::from_str(&text).ok()?;
        let stamps: Stamps = serde_json::from_str(&text).ok()?;
        Some(Self {
            record: record.clone(),
            content,
            created_at: stamps.created_at,
        })
    }

    /// The business day it was made on (the business's time zone).
    pub fn date(&self) -> Option<String> {
        business_date(&self.created_at)
    }

    pub fn number(&self) -> Option<String> {
        match &self.record.state {
            LocalState::Synced { number, .. } => number.clone(),
            _ => None,
        }
    }
}

/// The business date (`YYYY-MM-DD`) of an RFC 3339 time.
pub(crate) fn business_date(rfc3339: &str) -> Option<String> {
    date_part(&when(rfc3339)).map(str::to_owned)
}

/// Today in the business's time zone, by the phone's clock.
pub(crate) fn today() -> String {
    business_date(&now_iso()).unwrap_or_default()
}

pub(crate) fn now_iso() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// The business profile last downloaded on this device.
pub(crate) fn cached_business() -> Option<BusinessProfile> {
    serde_json::from_str(&storage::get(BUSINESS_KEY)?).ok()
}

/// Downloads the profile and keeps it; the copy on the device otherwise.
pub(crate) async fn business(token: &str) -> Option<BusinessProfile> {
    let fetched: Result<BusinessProfile, ApiError> =
        api::call(Method::Get, "/api/v1/business/", token, None).await;
    match fetched {
        Ok(profile) => {
            if let Ok(text) = serde_json::to_string(&profile) {
                storage::set(BUSINESS_KEY, &text);
            }
            Some(profile)
        }
        Err(_) => cached_business(),
    }
}

/// The name an admin gave this device, as last seen (`None`: no name
/// given, or never asked).
pub(crate) fn cached_device_name() -> Option<String> {
    storage::get(DEVICE_NAME_KEY).filter(|n| !n.is_empty())
}

/// Asks the server for this device's name and keeps it.
pub(crate) async fn device_name(token: &str) -> Option<String> {
    let path = format!("/api/v1/devices/{}/", session::device_id());
    match api::call::<DeviceName>(Method::Get, &path, token, None).await {
        Ok(device) => {
            let name = device.name.unwrap_or_default();
            storage::set(DEVICE_NAME_KEY, &name);
            Some(name).filter(|n| !n.is_empty())
        }
        Err(_) => cached_device_name(),
    }
}

/// A short form of a local id, for people: its last 8 characters.
pub(crate) fn short_id(local_id: &str) -> &str {
    let start = local_id.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
    &local_id[start..]
}

/// Runs `first` once, as soon as the page's access check lets the seller
/// in: the pages' one-time reads of cached copies and their refresh.
pub(super) fn once_allowed(
    access: RwSignal<Access>,
    first: impl Fn(ruta_shared::auth::TokenResponse) + 'static,
) {
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        let Access::Allowed(session) = access.get() else {
            return;
        };
        if asked.get_value() {
            return;
        }
        asked.set_value(true);
        first(session);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruta_shared::wire::phone_sale::PhoneSale;
    use serde_json::json;

    #[test]
    fn a_stored_sale_reads_as_its_content_and_its_time() {
        let record = OutboxRecord {
            local_id: "0193a1b2-0000-7000-8000-00000000abcd".into(),
            sale: PhoneSale::from_value(
                &json!({"local_id": "x", "customer_id": 5, "status": "confirmed",
                "payment_method": "cash", "created_at": "2026-12-07T14:00:00.000Z",
                "items": [{"product_id": 10, "quantity": "2", "unit_price": "1500",
                    "discount_type": "none", "discount_value": "0", "tax_percentage": "0"}],
                "returns": [], "notes": null, "version": 1}),
            ),
            state: LocalState::Synced {
                sale_id: 3,
                number: Some("VTA-2026-00003".into()),
                version: 1,
            },
            customer_name: "Rosa".into(),
            total: "3000.00".into(),
            saved_at: 1.0,
        };
        let sale = DaySale::read(&record).unwrap();
        assert_eq!(sale.content.items.len(), 1);
        assert_eq!(sale.date().as_deref(), Some("2026-12-07"));
        assert_eq!(sale.number().as_deref(), Some("VTA-2026-00003"));
        assert_eq!(short_id(&record.local_id), "0000abcd");
        assert_eq!(short_id("abc"), "abc");
    }
}
