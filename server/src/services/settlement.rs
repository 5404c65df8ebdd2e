//! Settling a seller's day (liquidación). The figures come from the day's
//! cargue sheet and the sales created that business day, through the
//! shared rules (`ruta_shared::settlement`), so they are the phone's. The
//! dispatcher's count is stored as a new version with a snapshot of what
//! the settlement said; settling locks the sheet, and only an admin can
//! re-open it (logged, with a reason). Sales keep arriving after that:
//! they are accepted like any other and listed as late on the settlement.
use super::cargue::{self, SheetChange};
use super::streams::Hub;
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::{self, settlements::DaySaleRow, settlements::SettlementRow};
use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::money::{self, format_money, Money, Quantity};
use ruta_shared::sale::SaleContent;
use ruta_shared::settlement::{day_figures, differences, Count, DayFigures};
use ruta_shared::wire::cargue::CargueEventKind;
use ruta_shared::wire::settlement::{
    LateSale, PaymentTotals, SettleRequest, SettlementLine, SettlementState, SettlementView,
    UnsyncedDevice,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

pub const MAX_REASON_CHARS: usize = 500;
/// The most units a count may give for one product (a quantity's bound).
const MAX_LEFT: i64 = 1_000_000;

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

fn quantity_text(d: Decimal) -> String {
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

/// Reads the stored count back (`{"<product_id>": "<left>"}`, cash).
fn stored_count(row: &SettlementRow) -> Count {
    let left: BTreeMap<String, String> = serde_json::from_str(&row.counted).unwrap_or_default();
    Count {
        left: left
            .into_iter()
            .filter_map(|(id, q)| Some((id.parse().ok()?, Decimal::from_str(&q).ok()?)))
            .collect(),
        cash: Decimal::from_str(&row.cash_counted).unwrap_or_default(),
    }
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
    }
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

fn state_of(row: Option<&SettlementRow>) -> SettlementState {
    row.and_then(|r| SettlementState::parse(&r.state))
        .unwrap_or(SettlementState::Open)
}

async fn compose(
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

/// The day as it stands: live figures, and the count once there is one.
pub async fn view(
    db: &Db,
    tz: Tz,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
) -> ServiceResult<SettlementView> {
    cargue::known_seller(db, actor, seller_code).await?;
    let date_text = date.format("%Y-%m-%d").to_string();
    let row = store::settlements::get(db.read(), seller_code, &date_text).await?;
    compose(db, seller_code, date, tz, row.as_ref()).await
}

fn invalid_left(product_id: i64) -> ServiceError {
    ServiceError::invalid(
        "lines",
        format!("left del producto {product_id} debe ser un número entre 0 y {MAX_LEFT}, con hasta 3 decimales"),
    )
}

/// The request's count, checked: every `left` a decimal in `[0, 1e6]`
/// with at most 3 decimals, each product once, cash a valid amount.
fn read_count(req: &SettleRequest) -> ServiceResult<Count> {
    let mut left = BTreeMap::new();
    for l in &req.lines {
        let d = money::parse_decimal_text(l.left.trim()).map_err(|_| invalid_left(l.product_id))?;
        if d < Decimal::ZERO || d > Decimal::from(MAX_LEFT) || d.scale() > 3 {
            return Err(invalid_left(l.product_id));
        }
        if left.insert(l.product_id, d).is_some() {
            return Err(ServiceError::invalid(
                "lines",
                format!("producto {} repetido", l.product_id),
            ));
        }
    }
    let cash = Money::from_str(&req.cash_counted).map_err(|e| {
        ServiceError::invalid("cash_counted", format!("cash_counted inválido: {e}"))
    })?;
    Ok(Count {
        left,
        cash: cash.value(),
    })
}

fn counted_json(count: &Count) -> String {
    let map: BTreeMap<String, String> = count
        .left
        .iter()
        .map(|(id, q)| (id.to_string(), quantity_text(*q)))
        .collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// Settles the day with the dispatcher's count: a new version, the sheet
/// locked, the snapshot kept, the log row and the stream event written in
/// one transaction.
pub async fn settle(
    db: &Db,
    hub: &Hub,
    tz: Tz,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
    req: &SettleRequest,
) -> ServiceResult<SettlementView> {
    if !matches!(actor.role, Role::Admin | Role::Dispatcher) {
        return Err(ServiceError::Forbidden);
    }
    cargue::known_seller(db, actor, seller_code).await?;
    let count = read_count(req)?;
    let now = clock::now();
    let date_text = date.format("%Y-%m-%d").to_string();
    let mut tx = db.write().begin().await?;
    let sheet =
        store::cargue::lock_or_create(&mut tx, seller_code, &date_text, &now, db.row_lock())
            .await?;
    let current = store::settlements::lock(&mut tx, seller_code, &date_text, db.row_lock()).await?;
    let version = current.as_ref().map_or(0, |r| r.version);
    if state_of(current.as_ref()) == SettlementState::Settled {
        return Err(ServiceError::Conflict(
            "La liquidación ya está cerrada: un administrador debe reabrirla".into(),
        ));
    }
    if req.version.is_some_and(|v| v != version) {
        return Err(ServiceError::Conflict(format!(
            "La liquidación cambió mientras se contaba (versión {version}): recargue"
        )));
    }
    if !sheet.closed.0 {
        store::cargue::close(&mut tx, sheet.id, &now).await?;
    }
    let next = version + 1;
    let counted = counted_json(&count);
    let cash = format_money(count.cash);
    let saved = store::settlements::Settled {
        seller_code,
        date: &date_text,
        version: next,
        state: SettlementState::Settled.as_str(),
        counted: &counted,
        cash_counted: &cash,
        settled_by: &actor.username,
        now: &now,
    };
    store::settlements::save(&mut tx, saved).await?;
    let row = SettlementRow {
        version: next,
        state: SettlementState::Settled.as_str().to_owned(),
        counted,
        cash_counted: cash,
        settled_by: actor.username.clone(),
        settled_at: now.clone(),
        reopened_by: None,
        reopened_at: None,
        reopen_reason: None,
    };
    let view = compose(db, seller_code, date, tz, Some(&row)).await?;
    let snapshot = serde_json::to_string(&view).unwrap_or_default();
    store::settlements::keep_version(&mut tx, seller_code, &date_text, next, &snapshot, &now)
        .await?;
    let short: Vec<_> = view
        .lines
        .iter()
        .filter(|l| l.difference.as_deref().is_some_and(|d| d != "0"))
        .map(|l| json!({"product_id": l.product_id, "difference": l.difference}))
        .collect();
    let detail = json!({
        "seller_code": seller_code, "date": date_text, "version": next,
        "cash_counted": view.cash_counted, "cash_difference": view.cash_difference,
        "differences": short,
    });
    let change = SheetChange {
        action: SyncAction::SettleShift,
        stream: cargue::stream_of(seller_code),
        payload: cargue::payload(&cargue::event(CargueEventKind::ShiftSettled, &sheet, date)),
        detail,
    };
    cargue::finish(tx, db, hub, actor, change).await?;
    Ok(view)
}

/// An admin re-opens a settled day for a correction: the sheet unlocks,
/// the reason is logged, the next settlement is a new version.
pub async fn reopen(
    db: &Db,
    hub: &Hub,
    tz: Tz,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
    reason: &str,
) -> ServiceResult<SettlementView> {
    if actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    cargue::known_seller(db, actor, seller_code).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(ServiceError::invalid(
            "reason",
            format!("reason es requerido (máximo {MAX_REASON_CHARS} caracteres)"),
        ));
    }
    let now = clock::now();
    let date_text = date.format("%Y-%m-%d").to_string();
    let mut tx = db.write().begin().await?;
    let sheet =
        store::cargue::lock_or_create(&mut tx, seller_code, &date_text, &now, db.row_lock())
            .await?;
    let current = store::settlements::lock(&mut tx, seller_code, &date_text, db.row_lock()).await?;
    let Some(row) = current.filter(|r| state_of(Some(r)) == SettlementState::Settled) else {
        return Err(ServiceError::Conflict(
            "La liquidación no está cerrada".into(),
        ));
    };
    let reopened = SettlementState::Reopened.as_str();
    store::settlements::reopen(
        &mut tx,
        seller_code,
        &date_text,
        reopened,
        &actor.username,
        reason,
        &now,
    )
    .await?;
    store::cargue::reopen(&mut tx, sheet.id, &now).await?;
    let detail = json!({
        "seller_code": seller_code, "date": date_text, "version": row.version, "reason": reason,
    });
    let change = SheetChange {
        action: SyncAction::ReopenShift,
        stream: cargue::stream_of(seller_code),
        payload: cargue::payload(&cargue::event(CargueEventKind::ShiftReopened, &sheet, date)),
        detail,
    };
    cargue::finish(tx, db, hub, actor, change).await?;
    view(db, tz, actor, seller_code, date).await
}

/// After an upload: tells the dispatcher's screen of every settled day of
/// this seller that just got a sale (an event on the seller's cargue
/// stream), so the settlement's late sales show at once. One small read
/// per upload when none of its days is settled.
pub async fn announce_late_sales(
    db: &Db,
    hub: &Hub,
    tz: Tz,
    actor: &Actor,
    sales: &[serde_json::Value],
    results: &[ruta_shared::sync::UploadResult],
) -> ServiceResult<()> {
    use ruta_shared::sync::ResultStatus;
    let Some(seller_code) = actor.seller_code.as_deref() else {
        return Ok(());
    };
    let mut dates: Vec<String> = sales
        .iter()
        .zip(results)
        .filter(|(_, r)| r.status == ResultStatus::Success && r.duplicate != Some(true))
        .filter_map(|(s, _)| {
            let created = s.get("created_at")?.as_str()?;
            let t = chrono::DateTime::parse_from_rfc3339(created).ok()?;
            Some(t.with_timezone(&tz).format("%Y-%m-%d").to_string())
        })
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let settled = store::settlements::settled_dates(db.read(), seller_code, &dates).await?;
    for date_text in settled {
        let Ok(date) = NaiveDate::parse_from_str(&date_text, "%Y-%m-%d") else {
            continue;
        };
        let event = ruta_shared::wire::cargue::CargueEvent::new(
            CargueEventKind::DaySalesChanged,
            seller_code,
            &date_text,
            cargue::day_name(date),
        );
        let mut tx = db.write().begin().await?;
        let e = hub
            .append(
                &mut tx,
                &cargue::stream_of(seller_code),
                cargue::payload(&event),
            )
            .await?;
        tx.commit().await?;
        hub.committed(vec![e]);
    }
    Ok(())
}

/// Every version a day was settled with, oldest first.
pub async fn versions(
    db: &Db,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
) -> ServiceResult<Vec<SettlementView>> {
    cargue::known_seller(db, actor, seller_code).await?;
    let date_text = date.format("%Y-%m-%d").to_string();
    let rows = store::settlements::versions(db.read(), seller_code, &date_text).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(_, snapshot)| serde_json::from_str(&snapshot).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_business_day_is_bounded_in_its_zone() {
        let date = NaiveDate::from_ymd_opt(2026, 2, 16).unwrap();
        let bogota: Tz = "America/Bogota".parse().unwrap();
        assert_eq!(
            day_bounds(date, bogota),
            (
                "2026-02-16T05:00:00.000Z".to_owned(),
                "2026-02-17T05:00:00.000Z".to_owned()
            )
        );
        assert_eq!(day_bounds(date, Tz::UTC).0, "2026-02-16T00:00:00.000Z");
    }

    fn request(lines: &[(i64, &str)], cash: &str) -> SettleRequest {
        SettleRequest {
            date: None,
            lines: lines
                .iter()
                .map(|(id, left)| ruta_shared::wire::settlement::CountedLine {
                    product_id: *id,
                    left: (*left).to_owned(),
                })
                .collect(),
            cash_counted: cash.into(),
            version: None,
        }
    }

    #[test]
    fn a_count_is_checked_before_anything_is_stored() {
        let ok = read_count(&request(&[(10, "0"), (11, "3.5")], "125000.50")).unwrap();
        assert_eq!(ok.left[&10], Decimal::ZERO);
        assert_eq!(ok.cash, Decimal::from_str("125000.50").unwrap());
        for bad in ["-1", "abc", "", "1.2345", "1000001", "NaN"] {
            assert!(read_count(&request(&[(10, bad)], "0")).is_err(), "{bad}");
        }
        assert!(read_count(&request(&[(10, "1"), (10, "2")], "0")).is_err());
        assert!(read_count(&request(&[], "-5")).is_err());
        assert!(read_count(&request(&[], "1.234")).is_err());
    }
}
