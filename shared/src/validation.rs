//! The contract's upload checks, in the contract's order, with its messages.
//!
//! 1–2 read the key ([`read_key`]); then the sale's shape is checked
//! ([`parse_draft`]); 3 is [`check_customer`]; 4 (already stored?) needs the
//! database and lives in the server; 5–7 are [`check_lines`], which also
//! produces the canonical [`SaleContent`]. The catalog is read through
//! [`CatalogView`], so the same code runs against the server's database and
//! the phone's IndexedDB copy.
use crate::local_id::{LocalId, LocalIdError};
use crate::money::{self, DecimalError, Discount, Money, Percentage, Quantity};
use crate::sale::{
    DiscountType, DiscountValue, Item, PaymentMethod, ReturnLine, SaleContent, SaleStatus,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

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

/// A product line whose amounts are not yet checked (check 7 does that).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDraft {
    pub product_id: i64,
    pub quantity: Value,
    pub unit_price: Option<Value>,
    pub discount_type: DiscountType,
    pub discount_value: Value,
    pub tax_percentage: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReturnDraft {
    pub product_id: i64,
    pub quantity: Value,
    pub reason: String,
}

/// A sale whose shape is right; catalog and amount checks still to come.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleDraft {
    pub local_id: LocalId,
    pub device_id: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    /// When the seller last edited this copy (the device's clock): what
    /// `last_write_wins` compares. Not content.
    pub updated_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub customer_id: i64,
    pub status: SaleStatus,
    pub payment_method: PaymentMethod,
    pub items: Vec<ItemDraft>,
    pub returns: Vec<ReturnDraft>,
    pub notes: Option<String>,
}

fn int_field(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Option<i64>, SaleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| SaleError::shape(path, "debe ser un entero")),
        Some(_) => Err(SaleError::shape(path, "debe ser un entero")),
    }
}

fn required_int(obj: &Map<String, Value>, key: &str, path: &str) -> Result<i64, SaleError> {
    int_field(obj, key, path)?.ok_or_else(|| SaleError::shape(path, "requerido"))
}

fn string_field(
    obj: &Map<String, Value>,
    key: &str,
    path: &str,
    max_chars: usize,
) -> Result<Option<String>, SaleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > max_chars => Err(SaleError::shape(
            path,
            format!("máximo {max_chars} caracteres"),
        )),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(SaleError::shape(path, "debe ser texto")),
    }
}

fn enum_field<T>(
    obj: &Map<String, Value>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<T>, SaleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse(s)
            .map(Some)
            .ok_or_else(|| SaleError::shape(key, format!("valores permitidos: {allowed}"))),
        Some(_) => Err(SaleError::shape(
            key,
            format!("valores permitidos: {allowed}"),
        )),
    }
}

fn array_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], SaleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(SaleError::shape(key, "debe ser una lista")),
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, SaleError> {
    v.as_object()
        .ok_or_else(|| SaleError::shape(path, "debe ser un objeto"))
}

fn parse_item(v: &Value, i: usize) -> Result<ItemDraft, SaleError> {
    let path = |f: &str| format!("items[{i}].{f}");
    let obj = object(v, &format!("items[{i}]"))?;
    let discount_type = match obj.get("discount_type") {
        None | Some(Value::Null) => DiscountType::None,
        Some(Value::String(s)) => DiscountType::parse(s).ok_or_else(|| {
            SaleError::shape(
                &path("discount_type"),
                "valores permitidos: none, percentage, fixed",
            )
        })?,
        Some(_) => {
            return Err(SaleError::shape(
                &path("discount_type"),
                "valores permitidos: none, percentage, fixed",
            ))
        }
    };
    let present = |key: &str| obj.get(key).filter(|v| !v.is_null()).cloned();
    Ok(ItemDraft {
        product_id: required_int(obj, "product_id", &path("product_id"))?,
        quantity: present("quantity").unwrap_or(Value::Null),
        unit_price: present("unit_price"),
        discount_type,
        discount_value: present("discount_value").unwrap_or_else(|| Value::String("0".into())),
        tax_percentage: present("tax_percentage"),
    })
}

fn parse_return(v: &Value, i: usize) -> Result<ReturnDraft, SaleError> {
    let path = |f: &str| format!("returns[{i}].{f}");
    let obj = object(v, &format!("returns[{i}]"))?;
    Ok(ReturnDraft {
        product_id: required_int(obj, "product_id", &path("product_id"))?,
        quantity: obj.get("quantity").cloned().unwrap_or(Value::Null),
        reason: string_field(obj, "reason", &path("reason"), MAX_NAME_CHARS)?.unwrap_or_default(),
    })
}

/// An optional RFC 3339 time field.
fn time_field(obj: &Map<String, Value>, key: &str) -> Result<Option<DateTime<Utc>>, SaleError> {
    match string_field(obj, key, key, 64)? {
        None => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(&text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| SaleError::shape(key, "debe ser una fecha RFC 3339")),
    }
}

/// The shape check between checks 2 and 3: types, enum values, string
/// limits and version ≥ 1. Unknown fields are ignored.
pub fn parse_draft(sale: &Value, local_id: LocalId) -> Result<SaleDraft, SaleError> {
    let obj = object(sale, "sale")?;
    let version = int_field(obj, "version", "version")?.unwrap_or(1);
    if version < 1 {
        return Err(SaleError::shape("version", "debe ser mayor o igual a 1"));
    }
    let created_at = time_field(obj, "created_at")?;
    let updated_at = time_field(obj, "updated_at")?;
    let items = array_field(obj, "items")?;
    if items.len() > MAX_ITEMS {
        return Err(SaleError::shape(
            "items",
            format!("máximo {MAX_ITEMS} líneas"),
        ));
    }
    let returns = array_field(obj, "returns")?;
    if returns.len() > MAX_ITEMS {
        return Err(SaleError::shape(
            "returns",
            format!("máximo {MAX_ITEMS} líneas"),
        ));
    }
    Ok(SaleDraft {
        local_id,
        device_id: string_field(obj, "device_id", "device_id", MAX_DEVICE_ID_CHARS)?,
        created_at,
        updated_at,
        version,
        customer_id: required_int(obj, "customer_id", "customer_id")?,
        status: enum_field(
            obj,
            "status",
            SaleStatus::parse,
            "draft, confirmed, cancelled",
        )?
        .unwrap_or(SaleStatus::Draft),
        payment_method: enum_field(
            obj,
            "payment_method",
            PaymentMethod::parse,
            "cash, transfer, card, credit",
        )?
        .unwrap_or(PaymentMethod::Cash),
        items: items
            .iter()
            .enumerate()
            .map(|(i, v)| parse_item(v, i))
            .collect::<Result<_, _>>()?,
        returns: returns
            .iter()
            .enumerate()
            .map(|(i, v)| parse_return(v, i))
            .collect::<Result<_, _>>()?,
        notes: string_field(obj, "notes", "notes", MAX_NOTES_CHARS)?,
    })
}

/// What validation needs to know of a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFacts {
    pub name: String,
    pub unit_price: Money,
    pub tax_percentage: Percentage,
}

/// The active catalog, as seen by whoever validates (server or phone).
/// Inactive (soft-deleted) rows do not exist for the checks.
pub trait CatalogView {
    fn customer_exists(&self, id: i64) -> bool;
    fn product(&self, id: i64) -> Option<ProductFacts>;
}

/// Check 3.
pub fn check_customer(draft: &SaleDraft, catalog: &impl CatalogView) -> Result<(), SaleError> {
    if catalog.customer_exists(draft.customer_id) {
        Ok(())
    } else {
        Err(SaleError::new(
            Check::Customer,
            format!("Customer con id={} no existe", draft.customer_id),
        ))
    }
}

fn item_value_error(i: usize, field: &str, e: impl std::fmt::Display) -> SaleError {
    SaleError::new(
        Check::ItemValue,
        format!("Item #{i}: {field} inválido: {e}"),
    )
}

/// Check 7: a quantity that is not a decimal at all (`"abc"`, `""`,
/// `"NaN"`, `null`, `"1,5"`) gets the contract's one message, as does one
/// ≤ 0; a decimal that breaks a money rule (exponent, scale, range) keeps
/// the `inválido: <reason>` of the Money section.
fn quantity(i: usize, v: &Value) -> Result<Quantity, SaleError> {
    Quantity::parse(v).map_err(|e| match e {
        DecimalError::NotPositive | DecimalError::NotANumber => SaleError::new(
            Check::ItemValue,
            format!("Item #{i}: quantity debe ser mayor a 0"),
        ),
        other => item_value_error(i, "quantity", other),
    })
}

fn item(
    i: usize,
    d: &ItemDraft,
    quantity: Quantity,
    facts: &ProductFacts,
) -> Result<Item, SaleError> {
    let unit_price = match &d.unit_price {
        Some(v) => Money::parse(v).map_err(|e| item_value_error(i, "unit_price", e))?,
        None => facts.unit_price,
    };
    let tax_percentage = match &d.tax_percentage {
        Some(v) => Percentage::parse(v).map_err(|e| item_value_error(i, "tax_percentage", e))?,
        None => facts.tax_percentage,
    };
    let discount_error = |e: &dyn std::fmt::Display| item_value_error(i, "discount_value", e);
    let (discount, discount_text) = match d.discount_type {
        DiscountType::None => (Discount::None, "0".to_owned()),
        DiscountType::Percentage => {
            let p = Percentage::parse(&d.discount_value).map_err(|e| discount_error(&e))?;
            (Discount::Percentage(p), p.to_string())
        }
        DiscountType::Fixed => {
            let m = Money::parse(&d.discount_value).map_err(|e| discount_error(&e))?;
            (Discount::Fixed(m), m.to_string())
        }
    };
    money::line_amounts(quantity, unit_price, discount, tax_percentage)
        .map_err(|e| discount_error(&e))?;
    Ok(Item {
        product_id: d.product_id,
        quantity,
        unit_price,
        discount_type: d.discount_type,
        discount_value: DiscountValue(discount_text),
        tax_percentage,
    })
}

/// Checks 5, 6 and 7 (each over every line before the next), then the
/// returns; produces the canonical content on success.
pub fn check_lines(
    draft: &SaleDraft,
    catalog: &impl CatalogView,
) -> Result<SaleContent, SaleError> {
    if draft.items.is_empty() {
        return Err(SaleError::new(
            Check::ItemsEmpty,
            "Sale debe tener al menos 1 item".to_owned(),
        ));
    }
    let mut facts = Vec::with_capacity(draft.items.len());
    for (i, d) in draft.items.iter().enumerate() {
        match catalog.product(d.product_id) {
            Some(f) => facts.push(f),
            None => {
                return Err(SaleError::new(
                    Check::Product,
                    format!("Item #{i}: Producto con id={} no existe", d.product_id),
                ))
            }
        }
    }
    let quantities = draft
        .items
        .iter()
        .enumerate()
        .map(|(i, d)| quantity(i, &d.quantity))
        .collect::<Result<Vec<_>, _>>()?;
    let items = draft
        .items
        .iter()
        .zip(quantities)
        .zip(&facts)
        .enumerate()
        .map(|(i, ((d, q), f))| item(i, d, q, f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut returns = Vec::with_capacity(draft.returns.len());
    for (i, r) in draft.returns.iter().enumerate() {
        if catalog.product(r.product_id).is_none() {
            return Err(SaleError::new(
                Check::Product,
                format!(
                    "Devolución #{i}: Producto con id={} no existe",
                    r.product_id
                ),
            ));
        }
        let quantity = Quantity::parse(&r.quantity).map_err(|e| {
            SaleError::new(
                Check::ItemValue,
                format!("Devolución #{i}: quantity inválido: {e}"),
            )
        })?;
        returns.push(ReturnLine {
            product_id: r.product_id,
            quantity,
            reason: r.reason.clone(),
        });
    }
    Ok(SaleContent {
        customer_id: draft.customer_id,
        status: draft.status,
        payment_method: draft.payment_method,
        items,
        returns,
        notes: draft.notes.clone(),
    })
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
