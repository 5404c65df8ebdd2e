//! The seller's own end of day on the phone ("Mi día"), offline: the
//! sales the phone keeps, sorted into the business day they were made on,
//! and the same figures the dispatcher settles with
//! ([`crate::settlement::day_figures`]), so the two screens never disagree.
//!
//! The phone knows each sale's business date (its clock in the business's
//! time zone) and the cargue sheet it last saw; this module takes those
//! as plain values and does no IO.
use crate::money::Quantity;
use crate::sale::SaleContent;
use crate::settlement::{day_figures, DayFigures};
use std::str::FromStr;

/// One sale as the phone keeps it, with the business date (`YYYY-MM-DD`)
/// it was made on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedSale {
    pub date: String,
    pub content: SaleContent,
}

/// The sheet's loaded lines as the server reads them when it settles: a
/// quantity that is not a valid one counts as nothing loaded.
pub fn loaded_lines<'a>(lines: impl IntoIterator<Item = (i64, &'a str)>) -> Vec<(i64, Quantity)> {
    lines
        .into_iter()
        .filter_map(|(id, q)| Quantity::from_str(q).ok().map(|q| (id, q)))
        .collect()
}

/// The day's figures from the phone's own sales of `date` and the sheet
/// of that day (`loaded`; empty when the phone has no sheet for it).
pub fn phone_day(date: &str, loaded: &[(i64, Quantity)], sales: &[DatedSale]) -> DayFigures {
    let of_day: Vec<SaleContent> = sales
        .iter()
        .filter(|s| s.date == date)
        .map(|s| s.content.clone())
        .collect();
    day_figures(loaded, &of_day)
}

/// The business date of an RFC 3339 time already written in the business
/// zone (`2026-12-07 09:15:00` or `2026-12-07T09:15:00`): its first ten
/// characters, when they are a date.
pub fn date_part(local_time: &str) -> Option<&str> {
    let date = local_time.get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::SaleStatus;
    use rust_decimal::Decimal;
    use serde_json::json;

    fn sale(status: &str, payment: &str, qty: &str, returns: &[(i64, &str)]) -> SaleContent {
        let returns: Vec<_> = returns
            .iter()
            .map(|(id, q)| json!({"product_id": id, "quantity": q, "reason": "vencido"}))
            .collect();
        let mut v = json!({
            "customer_id": 5, "status": status, "payment_method": payment,
            "items": [{"product_id": 10, "quantity": qty, "unit_price": "1000",
                       "discount_type": "none", "discount_value": "0", "tax_percentage": "0"}],
            "returns": returns, "notes": null
        });
        if status == "cancelled" {
            v["void_reason"] = json!("mal digitada");
        }
        serde_json::from_value(v).unwrap()
    }

    fn dated(date: &str, content: SaleContent) -> DatedSale {
        DatedSale {
            date: date.into(),
            content,
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn only_the_days_sales_count_and_voids_are_apart() {
        let loaded = loaded_lines([(10, "40"), (11, "12.5"), (12, "no")]);
        assert_eq!(loaded.len(), 2, "an unreadable quantity is not loaded");
        let sales = vec![
            dated("2026-12-07", sale("confirmed", "cash", "3", &[(11, "2")])),
            dated("2026-12-07", sale("confirmed", "credit", "2", &[])),
            dated("2026-12-07", sale("cancelled", "cash", "5", &[])),
            dated("2026-12-07", sale("draft", "cash", "7", &[])),
            dated("2026-12-06", sale("confirmed", "cash", "9", &[])),
        ];
        let day = phone_day("2026-12-07", &loaded, &sales);
        assert_eq!((day.sales, day.voided), (2, 1));
        assert_eq!(day.payments.cash, dec("3000"));
        assert_eq!(day.payments.credit, dec("2000"));
        assert_eq!(day.payments.total(), dec("5000"));
        let arepa = &day.products[0];
        assert_eq!((arepa.product_id, arepa.sold), (10, dec("5")));
        assert_eq!(arepa.expected_left(), dec("35"));
        let pan = &day.products[1];
        assert_eq!((pan.loaded, pan.returned), (dec("12.5"), dec("2")));
        // The same figures as the dispatcher's settlement of those sales.
        let contents: Vec<SaleContent> = sales[..4].iter().map(|s| s.content.clone()).collect();
        assert_eq!(day, day_figures(&loaded, &contents));
        assert!(sales[2].content.status == SaleStatus::Cancelled);
    }

    #[test]
    fn a_day_without_a_sheet_or_sales_is_empty() {
        let day = phone_day("2026-12-08", &[], &[]);
        assert_eq!(day, DayFigures::default());
    }

    #[test]
    fn the_date_is_the_start_of_a_local_time() {
        assert_eq!(date_part("2026-12-07 09:15:00"), Some("2026-12-07"));
        assert_eq!(date_part("2026-12-07T09:15:00.000Z"), Some("2026-12-07"));
        assert_eq!(date_part("2026-12-0"), None);
        assert_eq!(date_part("hoy, 9:15 de la mañana"), None);
        assert_eq!(date_part("ñañañañañañ"), None);
    }
}
