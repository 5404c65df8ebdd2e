//! A seller's business day as the settlement shows it: the figures from
//! the sheet and the day's sales, the stored count and its differences,
//! late sales, and the devices still holding sales.
use super::count::stored_count;
use crate::clock;
use crate::db::Db;
use crate::services::ServiceResult;
use crate::store::{self, settlements::DaySaleRow, settlements::SettlementRow};
use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use ruta_shared::money::{format_money, Quantity};
use ruta_shared::sale::SaleContent;
use ruta_shared::settlement::{day_figures, differences, DayFigures};
use ruta_shared::wire::settlement::{
    LateSale, PaymentTotals, SettlementLine, SettlementState, SettlementView, UnsyncedDevice,
};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// The business day `date` in `tz` as RFC 3339 UTC bounds `[from, to)`.
pub fn day_bounds(date: NaiveDate, tz: Tz) -> (String, String) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|| midnight.and_utc())
    };
    let next = date.succ_opt().unwrap_or(date + Duration::days(1));
    (clock::format(start(date)), clock::format(start(next)))
}

pub(super) fn quantity_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// What the settlement is computed from.
struct Day {
    figures: DayFigures,
    names: HashMap<i64, String>,
    sales: Vec<DaySaleRow>,
}

async fn read_day(db: &Db, seller_code: &str, date: NaiveDate, tz: Tz) -> ServiceResult<Day> {
    let date_text = date.format("%Y-%m-%d").to_string();
    let sheet = store::cargue::sheet(db.read(), seller_code, &date_text).await?;
    let lines = match &sheet {
        Some(s) => store::cargue::lines(db.read(), s.id).await?,
        None => Vec::new(),
    };
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut loaded = Vec::with_capacity(lines.len());
    for l in lines {
        if let Ok(q) = Quantity::from_str(&l.quantity) {
            loaded.push((l.product_id, q));
        }
        names.insert(l.product_id, l.product.unwrap_or_default());
    }
    let (from, to) = day_bounds(date, tz);
    let sales = store::settlements::day_sales(db.read(), seller_code, &from, &to).await?;
    let contents: Vec<SaleContent> = sales
        .iter()
        .filter_map(|s| s.content.as_deref())
        .filter_map(|c| serde_json::from_str(c).ok())
        .collect();
    let figures = day_figures(&loaded, &contents);
    let off_sheet: Vec<i64> = figures
        .products
        .iter()
        .map(|p| p.product_id)
        .filter(|id| !names.contains_key(id))
        .collect();
    for id in off_sheet {
        let name = store::catalog::product(db.read(), id)
            .await?
            .map(|r| r.to_product().name)
            .unwrap_or_default();
        names.insert(id, name);
    }
    Ok(Day {
        figures,
        names,
        sales,
    })
}

/// The devices of the seller with sales not synced yet: the day's sales
/// the server holds unaccepted, and what each phone last reported of its
/// outbox.
async fn unsynced_devices(
    db: &Db,
    seller_code: &str,
    sales: &[DaySaleRow],
) -> ServiceResult<Vec<UnsyncedDevice>> {
    let mut per_device: BTreeMap<String, UnsyncedDevice> = BTreeMap::new();
    let blank = |device_id: &str| UnsyncedDevice {
        device_id: device_id.to_owned(),
        name: None,
        sales: 0,
        reported_unsynced: None,
        reported_at: None,
        last_sync_at: None,
    };
    for s in sales.iter().filter(|s| s.sync_status.is_unsynced()) {
        let device = s.device_id.as_deref().unwrap_or_default();
        per_device
            .entry(device.to_owned())
            .or_insert_with(|| blank(device))
            .sales += 1;
    }
    for report in store::devices::outbox_reports_of_seller(db.read(), seller_code).await? {
        let entry = per_device
            .entry(report.device_id.clone())
            .or_insert_with(|| blank(&report.device_id));
        entry.reported_unsynced = Some(report.unsynced);
        entry.reported_at = Some(report.reported_at);
    }
    let ids: Vec<&str> = per_device.keys().map(String::as_str).collect();
    let names = store::devices::names_of(db.read(), &ids).await?;
    let mut out: Vec<UnsyncedDevice> = per_device.into_values().collect();
    for device in &mut out {
        device.name = names.get(&device.device_id).cloned();
        device.last_sync_at =
            store::settlements::last_sync_of(db.read(), &device.device_id).await?;
        // A report made before the device's last accepted upload counted
        // sales that have arrived since (the upload itself carries the
        // count from before it); the phone's next request reports afresh.
        let outdated = matches!(
            (&device.reported_at, &device.last_sync_at),
            (Some(reported), Some(synced)) if reported <= synced
        );
        if outdated {
            device.reported_unsynced = None;
            device.reported_at = None;
        }
    }
    out.retain(|d| d.sales > 0 || d.reported_unsynced.is_some());
    Ok(out)
}

fn late_sales(sales: &[DaySaleRow], settled_at: &str) -> Vec<LateSale> {
    sales
        .iter()
        .filter_map(|s| {
            let accepted_at = s.accepted_at.as_deref()?;
            (accepted_at > settled_at).then(|| LateSale {
                sale_id: s.id,
                number: s.number.clone(),
                total: s.total.clone(),
                accepted_at: accepted_at.to_owned(),
            })
        })
        .collect()
}

pub(super) fn state_of(row: Option<&SettlementRow>) -> SettlementState {
    row.and_then(|r| SettlementState::parse(&r.state))
        .unwrap_or(SettlementState::Open)
}

pub(super) async fn compose(
    db: &Db,
    seller_code: &str,
    date: NaiveDate,
    tz: Tz,
    row: Option<&SettlementRow>,
) -> ServiceResult<SettlementView> {
    let day = read_day(db, seller_code, date, tz).await?;
    let count = row.map(stored_count);
    let diff = count.as_ref().map(|c| differences(&day.figures, c));
    let counted: HashMap<i64, (Decimal, Decimal)> = diff
        .iter()
        .flat_map(|d| &d.products)
        .map(|p| (p.product_id, (p.counted, p.difference)))
        .collect();
    let lines = day
        .figures
        .products
        .iter()
        .map(|p| SettlementLine {
            product_id: p.product_id,
            product: day.names.get(&p.product_id).cloned().unwrap_or_default(),
            loaded: quantity_text(p.loaded),
            sold: quantity_text(p.sold),
            returned: quantity_text(p.returned),
            expected_left: quantity_text(p.expected_left()),
            counted_left: counted.get(&p.product_id).map(|c| quantity_text(c.0)),
            difference: counted.get(&p.product_id).map(|c| quantity_text(c.1)),
        })
        .collect();
    let pay = day.figures.payments;
    Ok(SettlementView {
        seller_code: seller_code.to_owned(),
        date: date.format("%Y-%m-%d").to_string(),
        state: state_of(row),
        version: row.map_or(0, |r| r.version),
        lines,
        payments: PaymentTotals {
            cash: format_money(pay.cash),
            transfer: format_money(pay.transfer),
            card: format_money(pay.card),
            credit: format_money(pay.credit),
            total: format_money(pay.total()),
        },
        sales_count: day.figures.sales,
        voided_count: day.figures.voided,
        cash_expected: format_money(pay.cash),
        cash_counted: count.as_ref().map(|c| format_money(c.cash)),
        cash_difference: diff.as_ref().map(|d| format_money(d.cash_difference)),
        settled_by: row.map(|r| r.settled_by.clone()),
        settled_at: row.map(|r| r.settled_at.clone()),
        reopened_by: row.and_then(|r| r.reopened_by.clone()),
        reopened_at: row.and_then(|r| r.reopened_at.clone()),
        reopen_reason: row.and_then(|r| r.reopen_reason.clone()),
        late_sales: row.map_or_else(Vec::new, |r| late_sales(&day.sales, &r.settled_at)),
        unsynced: unsynced_devices(db, seller_code, &day.sales).await?,
    })
}
