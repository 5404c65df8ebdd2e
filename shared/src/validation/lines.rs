//! Checks 3 and 5–7 against the catalog: the customer exists, each line's
//! product exists and is active, quantities and prices are valid; the
//! result is the canonical content with exact totals.
use super::{Check, ItemDraft, SaleDraft, SaleError};
use crate::money::{self, DecimalError, Discount, Money, Percentage, Quantity};
use crate::sale::{DiscountType, DiscountValue, Item, ReturnLine, SaleContent};
use serde_json::Value;

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
        void_reason: draft.void_reason.clone(),
    })
}
