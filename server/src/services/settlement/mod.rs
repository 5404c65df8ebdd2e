//! Settling a seller's day (liquidación). The figures come from the day's
//! cargue sheet and the sales created that business day, through the
//! shared rules (`ruta_shared::settlement`), so they are the phone's. The
//! dispatcher's count is stored as a new version with a snapshot of what
//! the settlement said; settling locks the sheet, and only an admin can
//! re-open it (logged, with a reason). Sales keep arriving after that:
//! they are accepted like any other and listed as late on the settlement.
//!
//! `day` composes the view of a day; `count` reads and stores the count.
mod count;
mod day;

use super::cargue::{self, SheetChange};
use super::streams::Hub;
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::{self, cargue::SheetRow, settlements::SettlementRow, Tx};
use chrono::NaiveDate;
use chrono_tz::Tz;
use count::{counted_json, read_count};
pub use day::day_bounds;
use day::{compose, state_of};
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::money::format_money;
use ruta_shared::wire::cargue::CargueEventKind;
use ruta_shared::wire::settlement::{SettleRequest, SettlementState, SettlementView};
use serde_json::json;

pub const MAX_REASON_CHARS: usize = 500;

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

/// The day's rows locked for a change, in a transaction the caller
/// commits: the sheet (made if missing), then its settlement, in the same
/// order everywhere so two changes of one day queue instead of deadlocking.
async fn lock_day<'a>(
    db: &'a Db,
    seller_code: &str,
    date_text: &str,
    now: &str,
) -> ServiceResult<(Tx<'a>, SheetRow, Option<SettlementRow>)> {
    let mut tx = db.write().begin().await?;
    let sheet =
        store::cargue::lock_or_create(&mut tx, seller_code, date_text, now, db.row_lock()).await?;
    let current = store::settlements::lock(&mut tx, seller_code, date_text, db.row_lock()).await?;
    Ok((tx, sheet, current))
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
    let (mut tx, sheet, current) = lock_day(db, seller_code, &date_text, &now).await?;
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
    let (mut tx, sheet, current) = lock_day(db, seller_code, &date_text, &now).await?;
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
    use rust_decimal::Decimal;
    use std::str::FromStr;

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
