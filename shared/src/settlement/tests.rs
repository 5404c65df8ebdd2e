use super::*;
use proptest::prelude::*;
use serde_json::json;
use std::str::FromStr;

fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

fn q(text: &str) -> Quantity {
    Quantity::from_str(text).unwrap()
}

/// A sale of `(product, quantity, unit price)` lines with 19 % tax, no
/// discount, and `(product, quantity)` returns.
fn sale(
    status: &str,
    payment: &str,
    items: &[(i64, &str, &str)],
    returns: &[(i64, &str)],
) -> SaleContent {
    let items: Vec<_> = items
        .iter()
        .map(|(id, quantity, price)| {
            json!({"product_id": id, "quantity": quantity, "unit_price": price,
                   "discount_type": "none", "discount_value": "0", "tax_percentage": "19"})
        })
        .collect();
    let returns: Vec<_> = returns
        .iter()
        .map(|(id, quantity)| json!({"product_id": id, "quantity": quantity, "reason": "vencido"}))
        .collect();
    serde_json::from_value(json!({
        "customer_id": 5, "status": status, "payment_method": payment,
        "items": items, "returns": returns, "notes": null
    }))
    .unwrap()
}

#[test]
fn sold_returned_and_money_come_from_confirmed_sales_only() {
    let loaded = [(10, q("40")), (11, q("12.5"))];
    let sales = [
        // 3 × 1000 = 3000 + 570 tax = 3570.00 cash
        sale("confirmed", "cash", &[(10, "3", "1000")], &[(10, "1")]),
        // 2.5 × 850.50 = 2126.25 + 403.99 tax = 2530.24 on credit
        sale("confirmed", "credit", &[(11, "2.5", "850.50")], &[]),
        // A void and a draft: counted for nothing but the void tally.
        sale("cancelled", "cash", &[(10, "30", "1000")], &[(11, "5")]),
        sale("draft", "transfer", &[(10, "7", "1000")], &[]),
        // A product that was not on the sheet.
        sale("confirmed", "transfer", &[(12, "1", "100")], &[]),
    ];
    let f = day_figures(&loaded, &sales);
    assert_eq!(f.sales, 3);
    assert_eq!(f.voided, 1);
    assert_eq!(f.payments.cash, dec("3570.00"));
    assert_eq!(f.payments.credit, dec("2530.24"));
    assert_eq!(f.payments.transfer, dec("119.00"));
    assert_eq!(f.payments.card, Decimal::ZERO);
    assert_eq!(f.payments.total(), dec("6219.24"));
    let ids: Vec<i64> = f.products.iter().map(|p| p.product_id).collect();
    assert_eq!(ids, [10, 11, 12], "the sheet's order, then the rest");
    let p10 = &f.products[0];
    assert_eq!(
        (p10.loaded, p10.sold, p10.returned),
        (dec("40"), dec("3"), dec("1"))
    );
    assert_eq!(p10.expected_left(), dec("37"));
    assert_eq!(f.products[1].expected_left(), dec("10.0"));
    assert_eq!(
        f.products[2].expected_left(),
        dec("-1"),
        "sold off the sheet"
    );
}

#[test]
fn a_product_loaded_twice_adds_up() {
    let f = day_figures(&[(10, q("5")), (10, q("2.25"))], &[]);
    assert_eq!(f.products.len(), 1);
    assert_eq!(f.products[0].loaded, dec("7.25"));
}

#[test]
fn differences_are_counted_less_expected() {
    let loaded = [(10, q("40")), (11, q("10"))];
    let sales = [sale("confirmed", "cash", &[(10, "3", "1000")], &[])];
    let f = day_figures(&loaded, &sales);
    let count = Count {
        left: BTreeMap::from([(10, dec("36")), (11, dec("10.5"))]),
        cash: dec("3500"),
    };
    let d = differences(&f, &count);
    assert_eq!(d.products[0].difference, dec("-1"), "one arepa short");
    assert_eq!(d.products[1].difference, dec("0.5"), "half a unit over");
    assert_eq!(d.cash_expected, dec("3570.00"));
    assert_eq!(d.cash_difference, dec("-70.00"), "faltante de caja");
    let none_counted = differences(&f, &Count::default());
    assert_eq!(none_counted.products[0].difference, dec("-37"));
}

fn arb_sale() -> impl Strategy<Value = SaleContent> {
    let line = (10i64..14, 1u32..50_000, 0u32..2_000_000);
    let ret = (10i64..14, 1u32..5_000);
    (
        prop_oneof![Just("confirmed"), Just("cancelled"), Just("draft")],
        prop_oneof![Just("cash"), Just("transfer"), Just("card"), Just("credit")],
        prop::collection::vec(line, 1..5),
        prop::collection::vec(ret, 0..3),
    )
        .prop_map(|(status, payment, lines, returns)| {
            let lines: Vec<(i64, String, String)> = lines
                .into_iter()
                .map(|(id, milli, cents)| {
                    let quantity = Decimal::new(i64::from(milli), 3).to_string();
                    let price = Decimal::new(i64::from(cents), 2).to_string();
                    (id, quantity, price)
                })
                .collect();
            let returns: Vec<(i64, String)> = returns
                .into_iter()
                .map(|(id, milli)| (id, Decimal::new(i64::from(milli), 3).to_string()))
                .collect();
            let items: Vec<(i64, &str, &str)> = lines
                .iter()
                .map(|(id, quantity, price)| (*id, quantity.as_str(), price.as_str()))
                .collect();
            let rets: Vec<(i64, &str)> = returns.iter().map(|(id, x)| (*id, x.as_str())).collect();
            sale(status, payment, &items, &rets)
        })
}

proptest! {
    /// The settlement's figures are the sums of the sales they come from:
    /// per product, per payment method and in all, whatever the mix of
    /// statuses, methods and products on or off the sheet.
    #[test]
    fn figures_are_the_sums_of_their_sales(
        loaded in prop::collection::vec((10i64..14, 1u32..100_000), 0..6),
        sales in prop::collection::vec(arb_sale(), 0..20),
    ) {
        let loaded: Vec<(i64, Quantity)> = loaded
            .into_iter()
            .map(|(id, milli)| (id, Quantity::new(Decimal::new(i64::from(milli), 3)).unwrap()))
            .collect();
        let f = day_figures(&loaded, &sales);
        let confirmed: Vec<&SaleContent> =
            sales.iter().filter(|s| s.status == SaleStatus::Confirmed).collect();
        prop_assert_eq!(f.sales as usize, confirmed.len());
        let money: Decimal = confirmed.iter().map(|s| s.totals().total).sum();
        prop_assert_eq!(f.payments.total(), money);
        let cash: Decimal = confirmed
            .iter()
            .filter(|s| s.payment_method == PaymentMethod::Cash)
            .map(|s| s.totals().total)
            .sum();
        prop_assert_eq!(f.payments.cash, cash);
        for p in &f.products {
            let sold: Decimal = confirmed
                .iter()
                .flat_map(|s| &s.items)
                .filter(|i| i.product_id == p.product_id)
                .map(|i| i.quantity.value())
                .sum();
            let returned: Decimal = confirmed
                .iter()
                .flat_map(|s| &s.returns)
                .filter(|r| r.product_id == p.product_id)
                .map(|r| r.quantity.value())
                .sum();
            let on_sheet: Decimal = loaded
                .iter()
                .filter(|(id, _)| *id == p.product_id)
                .map(|(_, q)| q.value())
                .sum();
            prop_assert_eq!(p.sold, sold);
            prop_assert_eq!(p.returned, returned);
            prop_assert_eq!(p.loaded, on_sheet);
            prop_assert_eq!(p.expected_left(), on_sheet - sold);
        }
        let all_sold: Decimal = f.products.iter().map(|p| p.sold).sum();
        let every_line: Decimal = confirmed
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| i.quantity.value())
            .sum();
        prop_assert_eq!(all_sold, every_line, "no sold line is dropped");
    }
}
