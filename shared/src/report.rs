//! The admin's daily report: per seller and business day, the confirmed
//! sales and their money by payment method, and the voids. The same
//! counting rule as the settlement ([`crate::settlement::counts_as_sold`]).
use crate::money::format_money;
use crate::sale::{PaymentMethod, SaleStatus};
use crate::settlement::{counts_as_sold, PaymentFigures};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One accepted sale as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSale {
    pub date: String,
    pub seller_code: String,
    pub status: SaleStatus,
    pub payment_method: PaymentMethod,
    pub total: Decimal,
}

/// One seller's day. Money is text with two decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyRow {
    pub date: String,
    pub seller_code: String,
    pub sales: u32,
    pub voided: u32,
    pub cash: String,
    pub transfer: String,
    pub card: String,
    pub credit: String,
    pub total: String,
}

/// `GET /api/v1/reports/daily/?from=&to=&seller=`: rows by date, then
/// seller; `totals` sums every row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyReport {
    pub from: String,
    pub to: String,
    pub rows: Vec<DailyRow>,
    pub totals: DailyRow,
}

#[derive(Default)]
struct Tally {
    sales: u32,
    voided: u32,
    money: PaymentFigures,
}

impl Tally {
    fn add(&mut self, s: &ReportSale) {
        if counts_as_sold(s.status) {
            self.sales += 1;
            self.money.add(s.payment_method, s.total);
        } else if s.status == SaleStatus::Cancelled {
            self.voided += 1;
        }
    }

    fn row(&self, date: &str, seller_code: &str) -> DailyRow {
        DailyRow {
            date: date.to_owned(),
            seller_code: seller_code.to_owned(),
            sales: self.sales,
            voided: self.voided,
            cash: format_money(self.money.cash),
            transfer: format_money(self.money.transfer),
            card: format_money(self.money.card),
            credit: format_money(self.money.credit),
            total: format_money(self.money.total()),
        }
    }
}

/// The report of these sales over `[from, to]`. A seller-day with only
/// drafts has no row.
pub fn daily_report(from: &str, to: &str, sales: &[ReportSale]) -> DailyReport {
    let mut days: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for s in sales {
        days.entry((&s.date, &s.seller_code)).or_default().add(s);
        all.add(s);
    }
    let rows = days
        .iter()
        .filter(|(_, t)| t.sales + t.voided > 0)
        .map(|((date, seller), t)| t.row(date, seller))
        .collect();
    DailyReport {
        from: from.to_owned(),
        to: to.to_owned(),
        rows,
        totals: all.row("", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(
        date: &str,
        seller: &str,
        status: SaleStatus,
        pay: PaymentMethod,
        total: &str,
    ) -> ReportSale {
        ReportSale {
            date: date.into(),
            seller_code: seller.into(),
            status,
            payment_method: pay,
            total: Decimal::from_str_exact(total).unwrap(),
        }
    }

    #[test]
    fn rows_are_per_day_and_seller_and_add_up() {
        use PaymentMethod::*;
        use SaleStatus::*;
        let sales = [
            s("2026-02-16", "ID1", Confirmed, Cash, "154.28"),
            s("2026-02-16", "ID1", Confirmed, Credit, "30.25"),
            s("2026-02-16", "ID1", Cancelled, Cash, "999.00"),
            s("2026-02-16", "ID2", Confirmed, Transfer, "10.00"),
            s("2026-02-17", "ID1", Draft, Cash, "5.00"),
        ];
        let r = daily_report("2026-02-16", "2026-02-17", &sales);
        assert_eq!(r.rows.len(), 2, "the drafts-only day has no row");
        assert_eq!(
            (r.rows[0].sales, r.rows[0].voided, r.rows[0].total.as_str()),
            (2, 1, "184.53")
        );
        assert_eq!(r.rows[0].cash, "154.28");
        assert_eq!(r.rows[1].seller_code, "ID2");
        assert_eq!((r.totals.total.as_str(), r.totals.sales), ("194.53", 3));
    }

    proptest! {
        /// The rows add up to the totals, and the totals to the sales.
        #[test]
        fn rows_sum_to_the_totals(raw in prop::collection::vec(
            (0u8..3, 0u8..3, 0u8..3, 0u8..4, 0u32..10_000_000), 0..60)) {
            let sales: Vec<ReportSale> = raw.iter().map(|(d, seller, st, pay, cents)| ReportSale {
                date: format!("2026-02-1{d}"),
                seller_code: format!("ID{seller}"),
                status: SaleStatus::ALL[usize::from(*st)],
                payment_method: PaymentMethod::ALL[usize::from(*pay)],
                total: Decimal::new(i64::from(*cents), 2),
            }).collect();
            let r = daily_report("a", "b", &sales);
            let dec = |t: &str| Decimal::from_str_exact(t).unwrap();
            let rows_total: Decimal = r.rows.iter().map(|x| dec(&x.total)).sum();
            prop_assert_eq!(rows_total, dec(&r.totals.total));
            let confirmed: Decimal = sales.iter()
                .filter(|x| x.status == SaleStatus::Confirmed).map(|x| x.total).sum();
            prop_assert_eq!(dec(&r.totals.total), confirmed);
            let count: u32 = r.rows.iter().map(|x| x.sales).sum();
            prop_assert_eq!(count, r.totals.sales);
        }
    }
}
