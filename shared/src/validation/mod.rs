//! The contract's upload checks, in the contract's order, with its messages.
//!
//! 1–2 read the key ([`read_key`]); then the sale's shape is checked
//! ([`parse_draft`]); 3 is [`check_customer`]; 4 (already stored?) needs the
//! database and lives in the server; 5–7 are [`check_lines`], which also
//! produces the canonical [`SaleContent`]. The catalog is read through
//! [`CatalogView`], so the same code runs against the server's database and
//! the phone's IndexedDB copy.
use crate::local_id::{LocalId, LocalIdError};
use crate::sale::SaleContent;
use serde_json::Value;

mod draft;
mod lines;

pub use draft::*;
pub use lines::*;

pub const MAX_NOTES_CHARS: usize = 2_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DEVICE_ID_CHARS: usize = 100;
pub const MAX_ITEMS: usize = 500;
/// What an upload result reports as `local_id` when none was sent.
pub const MISSING_LOCAL_ID: &str = "MISSING";

/// Which of the contract's checks refused a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Shape,
    Customer,
    ItemsEmpty,
    Product,
    ItemValue,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SaleError {
    pub check: Check,
    pub message: String,
}

impl SaleError {
    fn shape(field: &str, reason: impl std::fmt::Display) -> Self {
        Self {
            check: Check::Shape,
            message: format!("Campo {field} inválido: {reason}"),
        }
    }
    fn new(check: Check, message: String) -> Self {
        Self { check, message }
    }
}

/// A sale refused at checks 1–2: there is no key to store it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRejection {
    pub error: LocalIdError,
    /// `MISSING`, or the value sent, for the result's `local_id`.
    pub reported_id: String,
}

/// Checks 1 and 2.
pub fn read_key(sale: &Value) -> Result<LocalId, KeyRejection> {
    let missing = || KeyRejection {
        error: LocalIdError::Missing,
        reported_id: MISSING_LOCAL_ID.to_owned(),
    };
    match sale.get("local_id") {
        None | Some(Value::Null) => Err(missing()),
        Some(Value::String(s)) if s.trim().is_empty() => Err(missing()),
        Some(Value::String(s)) => LocalId::parse(s).map_err(|error| KeyRejection {
            error,
            reported_id: s.chars().take(100).collect(),
        }),
        Some(other) => Err(KeyRejection {
            error: LocalIdError::Invalid,
            // Not `Value`'s `Display`: in the WASM that is a second JSON
            // writer next to `to_string`'s.
            reported_id: serde_json::to_string(other)
                .unwrap_or_default()
                .chars()
                .take(100)
                .collect(),
        }),
    }
}

/// Every check but 4 (which needs the server's store), in the contract's
/// order: what the phone runs before saving, so a sale it accepts fails on
/// the server only if the catalog changed there meanwhile.
pub fn check_offline(sale: &Value, catalog: &impl CatalogView) -> Result<SaleContent, SaleError> {
    let key = read_key(sale).map_err(|r| SaleError::new(Check::Shape, r.error.to_string()))?;
    let draft = parse_draft(sale, key)?;
    check_customer(&draft, catalog)?;
    check_lines(&draft, catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Money, Percentage};
    use proptest::prelude::*;
    use serde_json::json;
    use std::str::FromStr;

    struct Fixture;
    impl CatalogView for Fixture {
        fn customer_exists(&self, id: i64) -> bool {
            id == 5
        }
        fn product(&self, id: i64) -> Option<ProductFacts> {
            (id == 10 || id == 12).then(|| ProductFacts {
                name: "Arepa x10".into(),
                unit_price: Money::from_str("25.50").unwrap(),
                tax_percentage: Percentage::from_str("21").unwrap(),
            })
        }
    }

    fn sale() -> Value {
        json!({
            "local_id": "550e8400-e29b-41d4-a716-446655440000",
            "customer_id": 5, "status": "draft", "device_id": "ANDROID-SM-A14-K3J9X2",
            "payment_method": "cash", "created_at": "2026-02-16T10:30:00Z",
            "items": [{"product_id": 10, "quantity": "5.000", "unit_price": "25.50",
                       "discount_type": "none", "discount_value": "0", "tax_percentage": "21"}],
            "returns": [{"product_id": 12, "quantity": "2", "reason": "expired"}],
            "notes": "Cliente VIP - pedido urgente", "version": 1, "unknown": {"x": 1}
        })
    }

    /// Runs every check but 4, returning the first error message.
    fn first_error(v: &Value) -> Option<String> {
        check_offline(v, &Fixture).err().map(|e| e.message)
    }

    fn with(mut v: Value, pointer: &str, new: Value) -> Value {
        *v.pointer_mut(pointer).unwrap() = new;
        v
    }

    #[test]
    fn a_quantity_that_is_not_a_decimal_gets_the_contracts_check_7_message() {
        for bad in [
            json!("abc"),
            json!(""),
            json!("NaN"),
            json!("Infinity"),
            json!("1,5"),
            json!(null),
            json!(true),
            json!([]),
        ] {
            assert_eq!(
                first_error(&with(sale(), "/items/0/quantity", bad.clone())).as_deref(),
                Some("Item #0: quantity debe ser mayor a 0"),
                "for {bad}"
            );
        }
    }

    #[test]
    fn the_contract_example_is_valid() {
        assert_eq!(first_error(&sale()), None);
    }

    #[test]
    fn contract_messages_in_order() {
        let cases = [
            (
                with(sale(), "/local_id", json!("")),
                "local_id requerido y no puede estar vacío",
            ),
            (
                with(sale(), "/local_id", json!("VEN-0001")),
                "local_id debe ser UUID válido (RFC 4122)",
            ),
            (
                with(sale(), "/customer_id", json!(999)),
                "Customer con id=999 no existe",
            ),
            (
                with(sale(), "/items", json!([])),
                "Sale debe tener al menos 1 item",
            ),
            (
                with(sale(), "/items/0/product_id", json!(77)),
                "Item #0: Producto con id=77 no existe",
            ),
            (
                with(sale(), "/items/0/quantity", json!("0")),
                "Item #0: quantity debe ser mayor a 0",
            ),
            (
                with(sale(), "/items/0/quantity", json!("-3")),
                "Item #0: quantity debe ser mayor a 0",
            ),
            (
                with(sale(), "/items/0/quantity", json!("1e3")),
                "Item #0: quantity inválido: notación exponencial no permitida",
            ),
            (
                with(sale(), "/items/0/quantity", json!("1000001")),
                "Item #0: quantity inválido: debe estar entre 0 y 1000000",
            ),
            (
                with(sale(), "/items/0/unit_price", json!("1.234")),
                "Item #0: unit_price inválido: máximo 2 decimales",
            ),
            (
                with(sale(), "/version", json!(0)),
                "Campo version inválido: debe ser mayor o igual a 1",
            ),
            (
                with(sale(), "/status", json!("paid")),
                "Campo status inválido: valores permitidos: draft, confirmed, cancelled",
            ),
            (
                with(sale(), "/notes", json!("x".repeat(2001))),
                "Campo notes inválido: máximo 2000 caracteres",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                first_error(&input).as_deref(),
                Some(expected),
                "for {input}"
            );
        }
    }

    #[test]
    fn missing_key_reports_missing_and_invalid_reports_value() {
        let mut v = sale();
        v.as_object_mut().unwrap().remove("local_id");
        assert_eq!(read_key(&v).unwrap_err().reported_id, "MISSING");
        let bad = with(sale(), "/local_id", json!("abc"));
        assert_eq!(read_key(&bad).unwrap_err().reported_id, "abc");
    }

    #[test]
    fn check_six_runs_over_every_item_before_check_seven() {
        let v = with(
            sale(),
            "/items",
            json!([{"product_id": 10, "quantity": "0"}, {"product_id": 99, "quantity": "1"}]),
        );
        assert_eq!(
            first_error(&v).unwrap(),
            "Item #1: Producto con id=99 no existe"
        );
    }

    #[test]
    fn catalog_fills_missing_price_and_tax_and_numbers_are_accepted() {
        let v = with(sale(), "/items", json!([{"product_id": 10, "quantity": 2}]));
        let draft = parse_draft(&v, read_key(&v).unwrap()).unwrap();
        let content = check_lines(&draft, &Fixture).unwrap();
        assert_eq!(content.items[0].unit_price.to_string(), "25.50");
        assert_eq!(content.totals().total.to_string(), "61.71");
    }

    #[test]
    fn fixed_discount_above_subtotal_is_refused() {
        let v = with(
            sale(),
            "/items/0",
            json!({"product_id": 10, "quantity": "1", "unit_price": "10", "discount_type": "fixed", "discount_value": "10.01"}),
        );
        assert!(first_error(&v)
            .unwrap()
            .starts_with("Item #0: discount_value inválido"));
    }

    proptest! {
        #[test]
        fn validation_never_panics_on_arbitrary_values(
            q in prop_oneof![any::<i64>().prop_map(|n| json!(n)), "\\PC{0,30}".prop_map(|s| json!(s)), any::<f64>().prop_map(|f| json!(f))],
            customer in any::<i64>(),
            notes in "\\PC{0,40}",
        ) {
            let v = with(with(with(sale(), "/items/0/quantity", q), "/customer_id", json!(customer)), "/notes", json!(notes));
            let _ = first_error(&v);
        }

        #[test]
        fn valid_quantities_always_pass(n in 1u64..=1_000_000_000u64) {
            let q = rust_decimal::Decimal::new(n as i64, 3).to_string();
            let v = with(sale(), "/items/0/quantity", json!(q));
            prop_assert_eq!(first_error(&v), None);
        }
    }
}
