//! A sale as a seller authors it, and the status enums around it.
//!
//! [`SaleContent`] is the canonical form used for idempotency: two uploads
//! are "the same sale" exactly when their contents are equal. Decimals are
//! normalised at parse time, so `"5"` and `"5.000"` compare equal; device,
//! timestamps and version are not content.
use crate::money::{Discount, LineAmounts, Money, Percentage, Quantity, SaleTotals};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }
        // By hand rather than derived: the same JSON (the text) and the same
        // "unknown variant" error, through the one string reader every enum
        // shares, instead of a variant visitor per enum and format, each of
        // which the phone's WASM would carry (docs/wasm-size.md).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, &[$($text),+]))
            }
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
        // How the server reads a stored status column (`sqlx(try_from)`).
        impl TryFrom<String> for $name {
            type Error = $crate::sale::UnknownWireValue;
            fn try_from(text: String) -> Result<Self, $crate::sale::UnknownWireValue> {
                Self::parse(&text).ok_or($crate::sale::UnknownWireValue(text))
            }
        }
    };
}
pub(crate) use wire_enum;

/// A stored or sent text that names no variant of the enum read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("valor desconocido: {0}")]
pub struct UnknownWireValue(pub String);

wire_enum!(SaleStatus { Draft = "draft", Confirmed = "confirmed", Cancelled = "cancelled" });
wire_enum!(PaymentMethod { Cash = "cash", Transfer = "transfer", Card = "card", Credit = "credit" });
wire_enum!(DiscountType { None = "none", Percentage = "percentage", Fixed = "fixed" });
wire_enum!(
    /// Whether the money is in: everything but credit is paid on the spot.
    PaymentStatus { Paid = "paid", Pending = "pending" }
);
wire_enum!(
    /// Where a stored sale stands with the server.
    SyncStatus { Pending = "pending", Synced = "synced", Error = "error", Conflict = "conflict" }
);

impl SyncStatus {
    /// The statuses of a sale the server holds but has not accepted as it
    /// stands: the pending list and the retry worker read these.
    pub const UNSYNCED: &'static [SyncStatus] =
        &[SyncStatus::Pending, SyncStatus::Error, SyncStatus::Conflict];

    pub fn is_unsynced(self) -> bool {
        self != SyncStatus::Synced
    }
}

impl PaymentMethod {
    pub fn payment_status(&self) -> PaymentStatus {
        match self {
            PaymentMethod::Credit => PaymentStatus::Pending,
            _ => PaymentStatus::Paid,
        }
    }
}

/// One product line, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub product_id: i64,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub discount_type: DiscountType,
    pub discount_value: DiscountValue,
    pub tax_percentage: Percentage,
}

/// A discount value: a percentage or an amount depending on the type; kept
/// as its normalised text so the content compares exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DiscountValue(pub String);

impl Item {
    pub fn discount(&self) -> Discount {
        match self.discount_type {
            DiscountType::None => Discount::None,
            DiscountType::Percentage => self
                .discount_value
                .0
                .parse()
                .map(Discount::Percentage)
                .unwrap_or(Discount::None),
            DiscountType::Fixed => self
                .discount_value
                .0
                .parse()
                .map(Discount::Fixed)
                .unwrap_or(Discount::None),
        }
    }

    /// The validated line's amounts (validation already refused a fixed
    /// discount above the subtotal, so this cannot fail for a valid item).
    pub fn amounts(&self) -> LineAmounts {
        crate::money::line_amounts(
            self.quantity,
            self.unit_price,
            self.discount(),
            self.tax_percentage,
        )
        .unwrap_or_default()
    }
}

/// Expired goods taken back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLine {
    pub product_id: i64,
    pub quantity: Quantity,
    #[serde(default)]
    pub reason: String,
}

/// What the seller authored: the part of a sale compared for idempotency
/// and conflicts, in a canonical form (normalised decimals, order kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleContent {
    pub customer_id: i64,
    pub status: SaleStatus,
    pub payment_method: PaymentMethod,
    pub items: Vec<Item>,
    #[serde(default)]
    pub returns: Vec<ReturnLine>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Why a confirmed sale was voided (`crate::void`); absent otherwise,
    /// so contents from before voids existed hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_reason: Option<String>,
}

impl SaleContent {
    /// SHA-256 of the canonical JSON, hex: equal exactly when the contents are.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(canonical))
    }

    pub fn totals(&self) -> SaleTotals {
        let lines: Vec<LineAmounts> = self.items.iter().map(Item::amounts).collect();
        SaleTotals::sum(&lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_enums_are_their_text_on_the_wire() {
        for method in PaymentMethod::ALL {
            let text = serde_json::to_value(method).unwrap();
            assert_eq!(text, json!(method.as_str()));
            assert_eq!(
                serde_json::from_value::<PaymentMethod>(text).unwrap(),
                *method
            );
        }
        let unknown = serde_json::from_str::<PaymentMethod>(r#""cheque""#).unwrap_err();
        assert!(
            unknown.to_string().starts_with(
                "unknown variant `cheque`, expected one of `cash`, `transfer`, `card`, `credit`"
            ),
            "{unknown}"
        );
        assert!(serde_json::from_str::<PaymentMethod>("3").is_err());
        assert!(serde_json::from_str::<SaleStatus>(r#""Draft""#).is_err());
        // As a map key too (strategy per entity type).
        let by_status: std::collections::HashMap<SyncStatus, u32> =
            serde_json::from_str(r#"{"pending": 1, "synced": 2}"#).unwrap();
        assert_eq!(by_status[&SyncStatus::Synced], 2);
    }

    fn content(quantity: &str) -> SaleContent {
        serde_json::from_value(json!({
            "customer_id": 5, "status": "draft", "payment_method": "cash",
            "items": [{"product_id": 10, "quantity": quantity, "unit_price": "25.50",
                       "discount_type": "none", "discount_value": "0", "tax_percentage": "21"}],
            "returns": [], "notes": null
        }))
        .unwrap()
    }

    #[test]
    fn normalised_decimals_hash_equal() {
        assert_eq!(content("5").content_hash(), content("5.000").content_hash());
        assert_ne!(content("5").content_hash(), content("5.001").content_hash());
    }

    #[test]
    fn enums_use_contract_names() {
        assert_eq!(
            serde_json::to_value(SyncStatus::Conflict).unwrap(),
            json!("conflict")
        );
        assert_eq!(
            PaymentMethod::parse("transfer"),
            Some(PaymentMethod::Transfer)
        );
        assert_eq!(PaymentMethod::parse("bitcoin"), None);
        assert_eq!(
            PaymentMethod::Credit.payment_status(),
            PaymentStatus::Pending
        );
    }

    #[test]
    fn golden_content_wire_format() {
        // Frozen: changing this changes every stored content hash.
        let c = content("5");
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"customer_id":5,"status":"draft","payment_method":"cash","items":[{"product_id":10,"quantity":"5.000","unit_price":"25.50","discount_type":"none","discount_value":"0","tax_percentage":"21"}],"returns":[],"notes":null}"#
        );
        assert_eq!(format!("{}", c.totals().total), "154.28");
    }
}

/// A line as the API shows it, with the product's name and computed amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub discount_type: DiscountType,
    pub discount_value: DiscountValue,
    pub tax_percentage: Percentage,
    pub line_subtotal: String,
    pub line_discount: String,
    pub line_tax: String,
    pub line_total: String,
}

impl ItemView {
    pub fn of(item: &Item, product_name: String) -> Self {
        let a = item.amounts();
        let m = crate::money::format_money;
        Self {
            product_id: item.product_id,
            product_name,
            quantity: item.quantity,
            unit_price: item.unit_price,
            discount_type: item.discount_type,
            discount_value: item.discount_value.clone(),
            tax_percentage: item.tax_percentage,
            line_subtotal: m(a.subtotal),
            line_discount: m(a.discount),
            line_tax: m(a.tax),
            line_total: m(a.total),
        }
    }
}

/// A stored sale as the API returns it (list rows, detail, 201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleView {
    pub id: i64,
    pub number: Option<String>,
    pub local_id: String,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub status: Option<SaleStatus>,
    pub payment_method: Option<PaymentMethod>,
    pub payment_status: Option<PaymentStatus>,
    pub sync_status: SyncStatus,
    pub created_at: String,
    pub server_timestamp: String,
    pub updated_at: String,
    pub version: i64,
    pub items: Vec<ItemView>,
    pub returns: Vec<ReturnLine>,
    pub notes: Option<String>,
    pub subtotal: Option<String>,
    pub discount_total: Option<String>,
    pub tax_total: Option<String>,
    pub total: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
