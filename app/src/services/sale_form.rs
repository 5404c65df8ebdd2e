//! The new-sale form as data: what the seller typed, its live totals (the
//! shared money math, exactly as the server computes them) and the wire
//! sale it becomes. Pure, so it is unit-tested natively.
use ruta_shared::catalog::Product;
use ruta_shared::money::{self, Discount, LineAmounts, Money, Percentage, Quantity, SaleTotals};
use ruta_shared::sale::{DiscountType, PaymentMethod, SaleStatus};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_type: DiscountType,
    pub discount_value: String,
    pub tax_percentage: String,
}

impl LineForm {
    pub fn of(product: &Product) -> Self {
        Self {
            product_id: product.id,
            product_name: product.name.clone(),
            quantity: "1".into(),
            unit_price: product.unit_price.to_string(),
            discount_type: DiscountType::None,
            discount_value: "0".into(),
            tax_percentage: product.tax_percentage.to_string(),
        }
    }

    /// The line's amounts, or `None` while what is typed is not a valid
    /// line (the form shows a dash and validation says why on save).
    pub fn amounts(&self) -> Option<LineAmounts> {
        let text = |s: &str| Value::String(s.trim().replace(',', "."));
        let quantity = Quantity::parse(&text(&self.quantity)).ok()?;
        let price = Money::parse(&text(&self.unit_price)).ok()?;
        let tax = Percentage::parse(&text(&self.tax_percentage)).ok()?;
        let discount = match self.discount_type {
            DiscountType::None => Discount::None,
            DiscountType::Percentage => {
                Discount::Percentage(Percentage::parse(&text(&self.discount_value)).ok()?)
            }
            DiscountType::Fixed => Discount::Fixed(Money::parse(&text(&self.discount_value)).ok()?),
        };
        money::line_amounts(quantity, price, discount, tax).ok()
    }

    fn wire(&self) -> Value {
        let decimal = |s: &str| s.trim().replace(',', ".");
        json!({
            "product_id": self.product_id,
            "quantity": decimal(&self.quantity),
            "unit_price": decimal(&self.unit_price),
            "discount_type": self.discount_type,
            "discount_value": if self.discount_type == DiscountType::None { "0".to_owned() } else { decimal(&self.discount_value) },
            "tax_percentage": decimal(&self.tax_percentage),
        })
    }
}

/// Expired goods taken back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnForm {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleForm {
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub lines: Vec<LineForm>,
    pub returns: Vec<ReturnForm>,
    pub payment_method: PaymentMethod,
    pub status: SaleStatus,
    pub notes: String,
}

impl Default for SaleForm {
    fn default() -> Self {
        Self {
            customer_id: None,
            customer_name: String::new(),
            lines: Vec::new(),
            returns: Vec::new(),
            payment_method: PaymentMethod::Cash,
            status: SaleStatus::Confirmed,
            notes: String::new(),
        }
    }
}

/// Who, where and when a wire sale is made: not typed by the seller.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub local_id: String,
    pub device_id: String,
    pub created_at: String,
    pub version: i64,
}

impl SaleForm {
    /// Sums of the lines that are valid so far.
    pub fn totals(&self) -> SaleTotals {
        let lines: Vec<LineAmounts> = self.lines.iter().filter_map(LineForm::amounts).collect();
        SaleTotals::sum(&lines)
    }

    /// The sale as the contract's upload takes it. A missing customer is
    /// sent as 0, so validation reports it with the contract's message.
    pub fn to_wire(&self, stamp: &Stamp) -> Value {
        let notes = self.notes.trim();
        json!({
            "local_id": stamp.local_id,
            "customer_id": self.customer_id.unwrap_or(0),
            "status": self.status,
            "device_id": stamp.device_id,
            "payment_method": self.payment_method,
            "created_at": stamp.created_at,
            "items": self.lines.iter().map(LineForm::wire).collect::<Vec<_>>(),
            "returns": self.returns.iter().map(|r| json!({
                "product_id": r.product_id,
                "quantity": r.quantity.trim().replace(',', "."),
                "reason": r.reason.trim(),
            })).collect::<Vec<_>>(),
            "notes": if notes.is_empty() { Value::Null } else { Value::String(notes.to_owned()) },
            "version": stamp.version,
        })
    }

    /// Back from a stored wire sale, for editing; names come from the
    /// catalog (`name_of`), as the wire carries only ids.
    pub fn from_wire(sale: &Value, customer_name: String, name_of: impl Fn(i64) -> String) -> Self {
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let id = |v: &Value| v.get("product_id").and_then(Value::as_i64).unwrap_or(0);
        let list = |k: &str| {
            sale.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        Self {
            customer_id: sale.get("customer_id").and_then(Value::as_i64),
            customer_name,
            lines: list("items")
                .iter()
                .map(|l| LineForm {
                    product_id: id(l),
                    product_name: name_of(id(l)),
                    quantity: text(l, "quantity"),
                    unit_price: text(l, "unit_price"),
                    discount_type: DiscountType::parse(&text(l, "discount_type"))
                        .unwrap_or(DiscountType::None),
                    discount_value: text(l, "discount_value"),
                    tax_percentage: text(l, "tax_percentage"),
                })
                .collect(),
            returns: list("returns")
                .iter()
                .map(|r| ReturnForm {
                    product_id: id(r),
                    product_name: name_of(id(r)),
                    quantity: text(r, "quantity"),
                    reason: text(r, "reason"),
                })
                .collect(),
            payment_method: PaymentMethod::parse(&text(sale, "payment_method"))
                .unwrap_or(PaymentMethod::Cash),
            status: SaleStatus::parse(&text(sale, "status")).unwrap_or(SaleStatus::Confirmed),
            notes: text(sale, "notes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruta_shared::validation::{check_offline, CatalogView, ProductFacts};
    use std::str::FromStr;

    struct Catalog;
    impl CatalogView for Catalog {
        fn customer_exists(&self, id: i64) -> bool {
            id == 5
        }
        fn product(&self, id: i64) -> Option<ProductFacts> {
            (id == 10).then(|| ProductFacts {
                name: "Pan tajado".into(),
                unit_price: Money::from_str("25.50").unwrap(),
                tax_percentage: Percentage::from_str("21").unwrap(),
            })
        }
    }

    fn stamp() -> Stamp {
        Stamp {
            local_id: "550e8400-e29b-41d4-a716-446655440000".into(),
            device_id: "dev".into(),
            created_at: "2026-11-29T10:00:00Z".into(),
            version: 1,
        }
    }

    fn line(quantity: &str) -> LineForm {
        LineForm {
            product_id: 10,
            product_name: "Pan tajado".into(),
            quantity: quantity.into(),
            unit_price: "25.50".into(),
            discount_type: DiscountType::Percentage,
            discount_value: "10".into(),
            tax_percentage: "21".into(),
        }
    }

    #[test]
    fn live_totals_equal_what_the_server_computes_from_the_wire() {
        let form = SaleForm {
            customer_id: Some(5),
            lines: vec![line("5"), line("2,5")],
            ..SaleForm::default()
        };
        let content = check_offline(&form.to_wire(&stamp()), &Catalog).unwrap();
        assert_eq!(form.totals(), content.totals());
        assert_eq!(money::format_money(form.totals().total), "208.27");
    }

    #[test]
    fn invalid_lines_do_not_count_and_validation_gives_the_contract_message() {
        let form = SaleForm {
            customer_id: Some(5),
            lines: vec![line("0"), line("abc")],
            ..SaleForm::default()
        };
        assert_eq!(form.totals(), SaleTotals::default());
        let err = check_offline(&form.to_wire(&stamp()), &Catalog).unwrap_err();
        assert_eq!(err.message, "Item #0: quantity debe ser mayor a 0");
        let empty = SaleForm::default();
        assert_eq!(
            check_offline(&empty.to_wire(&stamp()), &Catalog)
                .unwrap_err()
                .message,
            "Customer con id=0 no existe"
        );
    }

    #[test]
    fn wire_round_trip_keeps_what_was_typed() {
        let form = SaleForm {
            customer_id: Some(5),
            customer_name: "Tienda La Esquina".into(),
            lines: vec![line("5")],
            returns: vec![ReturnForm {
                product_id: 10,
                product_name: "Pan tajado".into(),
                quantity: "2".into(),
                reason: "vencido".into(),
            }],
            payment_method: PaymentMethod::Credit,
            status: SaleStatus::Draft,
            notes: "Pagará el viernes".into(),
        };
        let back = SaleForm::from_wire(&form.to_wire(&stamp()), "Tienda La Esquina".into(), |_| {
            "Pan tajado".into()
        });
        assert_eq!(back, form);
    }
}
