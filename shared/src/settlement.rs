//! The day's settlement (liquidación) of one seller's truck: what was
//! loaded, what the day's sales took out, what came back, and the money
//! each payment method should have brought in. The server settles with
//! these figures and the phone shows the same ones offline from its own
//! sales, so they are computed here, in exact decimals.
//!
//! Only confirmed sales count as sold: a draft is not a sale yet and a
//! cancelled one (a void, "ANULADA") took nothing off the truck. Returns
//! (vencidos picked up at the shops) come back on the truck whatever the
//! sale's money, so they count on every confirmed sale, and never change
//! what the seller is owed.
use crate::money::Quantity;
use crate::sale::{PaymentMethod, SaleContent, SaleStatus};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One product's movement over the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFigures {
    pub product_id: i64,
    /// On the day's cargue sheet.
    pub loaded: Decimal,
    /// On the day's confirmed sales.
    pub sold: Decimal,
    /// Picked up at the shops (vencidos).
    pub returned: Decimal,
}

impl ProductFigures {
    /// What should still be on the truck, sellable: loaded less sold. A
    /// negative figure means more was sold than loaded (a sheet not kept
    /// up to date, or a sale typed wrong).
    pub fn expected_left(&self) -> Decimal {
        self.loaded - self.sold
    }
}

/// Money the day's confirmed sales brought in, by payment method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaymentFigures {
    pub cash: Decimal,
    pub transfer: Decimal,
    pub card: Decimal,
    pub credit: Decimal,
}

impl PaymentFigures {
    pub fn add(&mut self, method: PaymentMethod, amount: Decimal) {
        let slot = match method {
            PaymentMethod::Cash => &mut self.cash,
            PaymentMethod::Transfer => &mut self.transfer,
            PaymentMethod::Card => &mut self.card,
            PaymentMethod::Credit => &mut self.credit,
        };
        *slot += amount;
    }

    pub fn total(&self) -> Decimal {
        self.cash + self.transfer + self.card + self.credit
    }
}

/// The figures of one seller's day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayFigures {
    /// The sheet's products in its order, then any product sold or
    /// returned that was not on the sheet, by id.
    pub products: Vec<ProductFigures>,
    pub payments: PaymentFigures,
    /// Confirmed sales.
    pub sales: u32,
    /// Cancelled sales (voids): shown, never counted.
    pub voided: u32,
}

/// Does this sale take goods off the truck and money in?
pub fn counts_as_sold(status: SaleStatus) -> bool {
    status == SaleStatus::Confirmed
}

/// The day's figures from the sheet's loaded lines and the day's sales.
pub fn day_figures(loaded: &[(i64, Quantity)], sales: &[SaleContent]) -> DayFigures {
    fn row(rows: &mut BTreeMap<i64, ProductFigures>, product_id: i64) -> &mut ProductFigures {
        rows.entry(product_id).or_insert_with(|| ProductFigures {
            product_id,
            loaded: Decimal::ZERO,
            sold: Decimal::ZERO,
            returned: Decimal::ZERO,
        })
    }
    let mut rows = BTreeMap::new();
    let mut sheet_order = Vec::new();
    for (id, q) in loaded {
        if !rows.contains_key(id) {
            sheet_order.push(*id);
        }
        row(&mut rows, *id).loaded += q.value();
    }
    let mut figures = DayFigures::default();
    for sale in sales {
        if !counts_as_sold(sale.status) {
            if sale.status == SaleStatus::Cancelled {
                figures.voided += 1;
            }
            continue;
        }
        figures.sales += 1;
        figures
            .payments
            .add(sale.payment_method, sale.totals().total);
        for item in &sale.items {
            row(&mut rows, item.product_id).sold += item.quantity.value();
        }
        for r in &sale.returns {
            row(&mut rows, r.product_id).returned += r.quantity.value();
        }
    }
    let mut products: Vec<ProductFigures> = sheet_order
        .iter()
        .filter_map(|id| rows.remove(id))
        .collect();
    // What is left was not on the sheet: after it, by id.
    products.extend(rows.into_values());
    figures.products = products;
    figures
}

/// What the dispatcher counted when the truck came back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Count {
    /// Sellable units left on the truck, per product; a product not
    /// counted is taken as none left.
    pub left: BTreeMap<i64, Decimal>,
    pub cash: Decimal,
}

/// One product's count against what was expected: `difference` below
/// zero is a shortage (faltante), above zero a surplus (sobrante).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDifference {
    pub product_id: i64,
    pub expected: Decimal,
    pub counted: Decimal,
    pub difference: Decimal,
}

/// Every product's difference and the cash difference (counted less the
/// cash sales' total).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differences {
    pub products: Vec<ProductDifference>,
    pub cash_expected: Decimal,
    pub cash_difference: Decimal,
}

pub fn differences(figures: &DayFigures, count: &Count) -> Differences {
    let products = figures
        .products
        .iter()
        .map(|p| {
            let counted = count.left.get(&p.product_id).copied().unwrap_or_default();
            ProductDifference {
                product_id: p.product_id,
                expected: p.expected_left(),
                counted,
                difference: counted - p.expected_left(),
            }
        })
        .collect();
    Differences {
        products,
        cash_expected: figures.payments.cash,
        cash_difference: count.cash - figures.payments.cash,
    }
}

#[cfg(test)]
mod tests;
