//! The sale as the phone queues it in its outbox and uploads it: the
//! contract's upload sale (`../shared/API.md`, "Sales sync"), typed.
//!
//! Three readers share one stored shape: the page (through this type), the
//! service worker's Background Sync (`server/src/http/service_worker.js`,
//! which uploads `record.sale` as it is and sets `record.sale.version`) and
//! the server, which reads each uploaded sale as JSON and validates it
//! itself (`crate::validation`). So [`PhoneSale`] serializes to exactly the
//! object the phone wrote before it was typed, key for key, and the phone
//! never sends totals: the server computes its own.
//!
//! Reading is forgiving, by hand, from the stored JSON: an old or odd
//! record must still open, so every missing or mistyped field takes a
//! default rather than failing the whole outbox read. A derived
//! `Deserialize` would add a struct reader per type to the phone's WASM,
//! where the JSON tree reader is already compiled in (docs/wasm-size.md).
use crate::sale::{DiscountType, PaymentMethod, SaleStatus, SaleView};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One sale. The fields are in alphabetical order because that is the
/// order the phone's JSON objects had (serde_json's map is sorted), so
/// records written before and after this type are the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneSale {
    /// When the seller first saved it (the device's clock, RFC 3339).
    pub created_at: String,
    /// 0 when no shop was picked (validation answers with the contract's
    /// message); negative for a shop added offline, until it is uploaded.
    pub customer_id: i64,
    pub device_id: String,
    pub items: Vec<PhoneLine>,
    /// The client UUID: the sale's identity across re-sends.
    pub local_id: String,
    pub notes: Option<String>,
    pub payment_method: PaymentMethod,
    pub returns: Vec<PhoneReturn>,
    pub status: SaleStatus,
    /// When this copy was saved on the device: what `last_write_wins`
    /// compares with the server's edit.
    pub updated_at: String,
    /// The server's version this copy was made from (the base version).
    pub version: i64,
    /// Why a confirmed sale was voided; absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub void_reason: Option<String>,
}

/// A product line as typed, in dot-decimal text (`"25.5"`). Text that is
/// no number stays as typed, so the server answers with its own message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneLine {
    pub discount_type: DiscountType,
    pub discount_value: String,
    pub product_id: i64,
    pub quantity: String,
    pub tax_percentage: String,
    pub unit_price: String,
}

/// Expired goods taken back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneReturn {
    pub product_id: i64,
    pub quantity: String,
    pub reason: String,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn id(v: &Value) -> i64 {
    v.get("product_id").and_then(Value::as_i64).unwrap_or(0)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

impl PhoneLine {
    fn from_value(v: &Value) -> Self {
        Self {
            discount_type: DiscountType::parse(&text(v, "discount_type"))
                .unwrap_or(DiscountType::None),
            discount_value: text(v, "discount_value"),
            product_id: id(v),
            quantity: text(v, "quantity"),
            tax_percentage: text(v, "tax_percentage"),
            unit_price: text(v, "unit_price"),
        }
    }
}

impl PhoneReturn {
    fn from_value(v: &Value) -> Self {
        Self {
            product_id: id(v),
            quantity: text(v, "quantity"),
            reason: text(v, "reason"),
        }
    }
}

impl PhoneSale {
    /// A stored sale, whatever it holds: a missing or mistyped field is
    /// empty text, 0, an empty list, `cash`, `confirmed`, version 1.
    pub fn from_value(v: &Value) -> Self {
        let optional = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        Self {
            created_at: text(v, "created_at"),
            customer_id: v.get("customer_id").and_then(Value::as_i64).unwrap_or(0),
            device_id: text(v, "device_id"),
            items: list(v, "items").iter().map(PhoneLine::from_value).collect(),
            local_id: text(v, "local_id"),
            notes: optional("notes"),
            payment_method: PaymentMethod::parse(&text(v, "payment_method"))
                .unwrap_or(PaymentMethod::Cash),
            returns: list(v, "returns")
                .iter()
                .map(PhoneReturn::from_value)
                .collect(),
            status: SaleStatus::parse(&text(v, "status")).unwrap_or(SaleStatus::Confirmed),
            updated_at: text(v, "updated_at"),
            version: v.get("version").and_then(Value::as_i64).unwrap_or(1),
            void_reason: optional("void_reason"),
        }
    }

    /// The JSON tree the shared validation reads (`check_offline`).
    /// Through the text, not `serde_json::to_value`: the phone already
    /// writes this type as text (storage, upload) and reads text into a
    /// tree, so a tree writer for it would be a third copy in the WASM
    /// (docs/wasm-size.md). Neither step can fail for this type.
    pub fn to_value(&self) -> Value {
        serde_json::to_string(self)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null)
    }

    /// This sale as the server settled it (a conflict resolved here or by
    /// an admin): the server's content and version; who, where and when
    /// it was made stay the phone's.
    pub fn settled_by(&self, view: &SaleView) -> Self {
        Self {
            customer_id: view.customer_id.unwrap_or(self.customer_id),
            items: view
                .items
                .iter()
                .map(|i| PhoneLine {
                    discount_type: i.discount_type,
                    discount_value: i.discount_value.0.clone(),
                    product_id: i.product_id,
                    quantity: i.quantity.to_string(),
                    tax_percentage: i.tax_percentage.to_string(),
                    unit_price: i.unit_price.to_string(),
                })
                .collect(),
            notes: view.notes.clone(),
            payment_method: view.payment_method.unwrap_or(self.payment_method),
            returns: view
                .returns
                .iter()
                .map(|r| PhoneReturn {
                    product_id: r.product_id,
                    quantity: r.quantity.to_string(),
                    reason: r.reason.clone(),
                })
                .collect(),
            status: view.status.unwrap_or(self.status),
            version: view.version,
            ..self.clone()
        }
    }
}

impl<'de> Deserialize<'de> for PhoneSale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|v| Self::from_value(&v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Frozen: the stored record and the upload body. The service worker
    /// and the server read exactly this.
    const GOLDEN: &str = concat!(
        r#"{"created_at":"2026-11-29T10:00:00Z","customer_id":5,"device_id":"ANDROID-1","#,
        r#""items":[{"discount_type":"percentage","discount_value":"10","product_id":10,"#,
        r#""quantity":"2.5","tax_percentage":"21","unit_price":"25.5"}],"#,
        r#""local_id":"550e8400-e29b-41d4-a716-446655440000","notes":null,"#,
        r#""payment_method":"credit","returns":[{"product_id":12,"quantity":"2","reason":"vencido"}],"#,
        r#""status":"draft","updated_at":"2026-11-29T10:05:00Z","version":3}"#
    );

    fn sale() -> PhoneSale {
        PhoneSale {
            created_at: "2026-11-29T10:00:00Z".into(),
            customer_id: 5,
            device_id: "ANDROID-1".into(),
            items: vec![PhoneLine {
                discount_type: DiscountType::Percentage,
                discount_value: "10".into(),
                product_id: 10,
                quantity: "2.5".into(),
                tax_percentage: "21".into(),
                unit_price: "25.5".into(),
            }],
            local_id: "550e8400-e29b-41d4-a716-446655440000".into(),
            notes: None,
            payment_method: PaymentMethod::Credit,
            returns: vec![PhoneReturn {
                product_id: 12,
                quantity: "2".into(),
                reason: "vencido".into(),
            }],
            status: SaleStatus::Draft,
            updated_at: "2026-11-29T10:05:00Z".into(),
            version: 3,
            void_reason: None,
        }
    }

    #[test]
    fn golden_phone_sale_both_ways() {
        assert_eq!(serde_json::to_string(&sale()).unwrap(), GOLDEN);
        assert_eq!(serde_json::from_str::<PhoneSale>(GOLDEN).unwrap(), sale());
        assert_eq!(PhoneSale::from_value(&sale().to_value()), sale());
    }

    #[test]
    fn the_shape_is_the_one_the_untyped_phone_wrote() {
        // What the phone built with `json!` before the sale was typed.
        let untyped = json!({
            "local_id": "550e8400-e29b-41d4-a716-446655440000",
            "customer_id": 5, "status": "draft", "device_id": "ANDROID-1",
            "payment_method": "credit", "created_at": "2026-11-29T10:00:00Z",
            "updated_at": "2026-11-29T10:05:00Z",
            "items": [{"product_id": 10, "quantity": "2.5", "unit_price": "25.5",
                       "discount_type": "percentage", "discount_value": "10", "tax_percentage": "21"}],
            "returns": [{"product_id": 12, "quantity": "2", "reason": "vencido"}],
            "notes": null, "version": 3,
        });
        assert_eq!(serde_json::to_string(&untyped).unwrap(), GOLDEN);
        assert_eq!(sale().to_value(), untyped);
    }

    #[test]
    fn a_void_reason_is_sent_only_when_there_is_one() {
        let mut voided = sale();
        voided.status = SaleStatus::Cancelled;
        voided.void_reason = Some("mal digitada".into());
        let text = serde_json::to_string(&voided).unwrap();
        assert!(text.ends_with(r#""version":3,"void_reason":"mal digitada"}"#));
        assert_eq!(serde_json::from_str::<PhoneSale>(&text).unwrap(), voided);
    }

    #[test]
    fn an_old_or_odd_record_still_opens_with_defaults() {
        // Before `updated_at` and `returns` existed, with odd values.
        let old = r#"{"local_id":"a","customer_id":-3,"status":"draft","items":[
            {"product_id":10,"quantity":5,"unit_price":"25.50"},"not a line"],
            "notes":"ok","payment_method":"cheque","version":"2","extra":true}"#;
        let read: PhoneSale = serde_json::from_str(old).unwrap();
        assert_eq!(read.local_id, "a");
        assert_eq!(read.customer_id, -3);
        assert_eq!(read.status, SaleStatus::Draft);
        assert_eq!(read.payment_method, PaymentMethod::Cash);
        assert_eq!(
            (read.created_at.as_str(), read.updated_at.as_str()),
            ("", "")
        );
        assert_eq!(read.version, 1);
        assert_eq!(read.notes.as_deref(), Some("ok"));
        assert!(read.returns.is_empty());
        assert_eq!(read.items.len(), 2);
        assert_eq!(read.items[0].unit_price, "25.50");
        assert_eq!(read.items[0].quantity, "");
        assert_eq!(read.items[0].discount_type, DiscountType::None);
        assert_eq!(read.items[1].product_id, 0);
        for odd in [
            "{}",
            "null",
            "[]",
            "7",
            r#""x""#,
            r#"{"items":{},"returns":3}"#,
        ] {
            let read: PhoneSale = serde_json::from_str(odd).unwrap();
            assert_eq!((read.version, read.items.len()), (1, 0), "{odd}");
            assert_eq!(read.status, SaleStatus::Confirmed);
        }
    }

    #[test]
    fn the_server_copy_keeps_who_made_it() {
        let view: SaleView = serde_json::from_value(json!({
            "id": 7, "number": "VTA-2026-00007", "local_id": "550e8400-e29b-41d4-a716-446655440000",
            "seller_code": "ID1", "device_id": "OTHER", "customer_id": 6, "customer_name": "Tienda",
            "status": "confirmed", "payment_method": "cash", "payment_status": "paid",
            "sync_status": "synced", "created_at": "2026-11-29T11:00:00Z",
            "server_timestamp": "2026-11-29T11:00:01Z", "updated_at": "2026-11-29T11:00:00Z",
            "version": 4,
            "items": [{"product_id": 10, "product_name": "Pan", "quantity": "5.000",
                       "unit_price": "25.50", "discount_type": "none", "discount_value": "0",
                       "tax_percentage": "21", "line_subtotal": "127.50", "line_discount": "0.00",
                       "line_tax": "26.78", "line_total": "154.28"}],
            "returns": [{"product_id": 12, "quantity": "1", "reason": "roto"}],
            "notes": "del servidor", "subtotal": null, "discount_total": null,
            "tax_total": null, "total": "154.28"
        }))
        .unwrap();
        let settled = sale().settled_by(&view);
        assert_eq!(
            serde_json::to_value(&settled.items).unwrap(),
            json!([{"discount_type": "none", "discount_value": "0", "product_id": 10,
                    "quantity": "5.000", "tax_percentage": "21", "unit_price": "25.50"}])
        );
        assert_eq!(
            serde_json::to_value(&settled.returns).unwrap(),
            serde_json::to_value(&view.returns).unwrap()
        );
        assert_eq!(
            (
                settled.customer_id,
                settled.status,
                settled.payment_method,
                settled.version
            ),
            (6, SaleStatus::Confirmed, PaymentMethod::Cash, 4)
        );
        assert_eq!(settled.notes.as_deref(), Some("del servidor"));
        assert_eq!(
            (settled.device_id.as_str(), settled.created_at.as_str()),
            ("ANDROID-1", "2026-11-29T10:00:00Z")
        );
    }
}
