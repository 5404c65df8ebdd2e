//! The sale as uploaded, read from its JSON into a draft: every field
//! typed, each wrong one answered with the contract's message.
use super::{SaleError, MAX_DEVICE_ID_CHARS, MAX_ITEMS, MAX_NAME_CHARS, MAX_NOTES_CHARS};
use crate::local_id::LocalId;
use crate::sale::{DiscountType, PaymentMethod, SaleStatus};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

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
    pub void_reason: Option<String>,
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
        void_reason: string_field(
            obj,
            "void_reason",
            "void_reason",
            crate::void::MAX_REASON_CHARS,
        )?,
    })
}
