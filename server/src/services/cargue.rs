//! Loading each seller's truck: sheets of planned lines with two checks,
//! V (the seller verified it) and D (the dispatcher did). Every change
//! bumps the line's version, writes its sync-log row and appends its event
//! to the seller's stream in one transaction.
use super::audit::{self, Entry};
use super::streams::{Hub, StreamEvent};
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::{self, cargue::LineRow, cargue::SheetRow, Tx};
use chrono::{Datelike, NaiveDate, Weekday};
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

pub fn stream_of(seller_code: &str) -> String {
    format!("cargue:{seller_code}")
}

/// The Spanish day name in capitals, with accents.
pub fn day_name(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "LUNES",
        Weekday::Tue => "MARTES",
        Weekday::Wed => "MIÉRCOLES",
        Weekday::Thu => "JUEVES",
        Weekday::Fri => "VIERNES",
        Weekday::Sat => "SÁBADO",
        Weekday::Sun => "DOMINGO",
    }
}

use ruta_shared::wire::cargue::{CargueEvent, CargueEventKind};
pub use ruta_shared::wire::cargue::{CheckRequest, LineView, PlannedLine, SheetView};

fn line_view(l: LineRow) -> LineView {
    LineView {
        product_id: l.product_id,
        product: l.product.unwrap_or_default(),
        quantity: l.quantity,
        v: l.v.0,
        d: l.d.0,
        version: l.version,
        updated_at: l.updated_at,
        ..LineView::default()
    }
}

/// Who may read a seller's sheet (and its stream).
pub fn may_read(actor: &Actor, seller_code: &str) -> bool {
    match actor.role {
        Role::Admin | Role::Dispatcher => true,
        Role::Seller => actor.seller_code.as_deref() == Some(seller_code),
    }
}

pub(super) async fn known_seller(db: &Db, actor: &Actor, seller_code: &str) -> ServiceResult<()> {
    if !may_read(actor, seller_code) {
        return Err(ServiceError::Forbidden);
    }
    if !store::cargue::seller_exists(db.read(), seller_code).await? {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

async fn view(db: &Db, seller_code: &str, date: NaiveDate) -> ServiceResult<SheetView> {
    let date_text = date.format("%Y-%m-%d").to_string();
    // Read before the lines: an event committed in between is then both in
    // the lines and replayed after `seq`, never in neither.
    let seq = store::events::latest_seq(db.read(), &stream_of(seller_code)).await?;
    let sheet = store::cargue::sheet(db.read(), seller_code, &date_text).await?;
    let lines = match &sheet {
        Some(s) => store::cargue::lines(db.read(), s.id).await?,
        None => Vec::new(),
    };
    Ok(SheetView {
        seller_code: seller_code.to_owned(),
        date: date_text,
        day: day_name(date).to_owned(),
        closed: sheet.is_some_and(|s| s.closed.0),
        seq,
        lines: lines.into_iter().map(line_view).collect(),
    })
}

pub async fn get(
    db: &Db,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
) -> ServiceResult<SheetView> {
    known_seller(db, actor, seller_code).await?;
    view(db, seller_code, date).await
}

pub(super) fn closed() -> ServiceError {
    ServiceError::Conflict("La hoja de cargue está cerrada".into())
}

pub(super) fn event(kind: CargueEventKind, sheet: &SheetRow, date: NaiveDate) -> CargueEvent {
    CargueEvent::new(kind, &sheet.seller_code, &sheet.date, day_name(date))
}

/// A typed event as the map the hub stores (it adds `seq` and `ts`).
pub(super) fn payload(event: &CargueEvent) -> Map<String, Value> {
    match serde_json::to_value(event) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// One change to a sheet: its log row (with what changed) and its event.
pub(super) struct SheetChange {
    pub action: SyncAction,
    pub stream: String,
    pub payload: Map<String, Value>,
    pub detail: Value,
}

pub(super) async fn finish(
    mut tx: Tx<'_>,
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    change: SheetChange,
) -> ServiceResult<StreamEvent> {
    let entry = Entry::about(change.detail);
    audit::record(&mut tx, db, actor, change.action, entry).await?;
    let e = hub.append(&mut tx, &change.stream, change.payload).await?;
    tx.commit().await?;
    hub.committed(vec![e.clone()]);
    Ok(e)
}

/// Replaces the planned lines. A line whose product and quantity stay keeps
/// its checks and version; a changed quantity resets its checks.
pub async fn replace(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
    planned: Vec<PlannedLine>,
) -> ServiceResult<SheetView> {
    if !matches!(actor.role, Role::Admin | Role::Dispatcher) {
        return Err(ServiceError::Forbidden);
    }
    known_seller(db, actor, seller_code).await?;
    let mut seen = HashSet::new();
    for (i, l) in planned.iter().enumerate() {
        if !seen.insert(l.product_id) {
            return Err(ServiceError::invalid(
                "lines",
                format!("lines[{i}]: producto repetido"),
            ));
        }
    }
    let ids: Vec<i64> = planned.iter().map(|l| l.product_id).collect();
    let active: HashSet<i64> = store::catalog::active_products(db.read(), &ids)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    if let Some((i, l)) = planned
        .iter()
        .enumerate()
        .find(|(_, l)| !active.contains(&l.product_id))
    {
        return Err(ServiceError::invalid(
            "lines",
            format!("lines[{i}]: Producto con id={} no existe", l.product_id),
        ));
    }
    let now = clock::now();
    let date_text = date.format("%Y-%m-%d").to_string();
    let mut tx = db.write().begin().await?;
    let sheet =
        store::cargue::lock_or_create(&mut tx, seller_code, &date_text, &now, db.row_lock())
            .await?;
    if sheet.closed.0 {
        return Err(closed());
    }
    let before: HashMap<i64, LineRow> = store::cargue::lines(&mut *tx, sheet.id)
        .await?
        .into_iter()
        .map(|l| (l.product_id, l))
        .collect();
    store::cargue::delete_lines(&mut tx, sheet.id).await?;
    for (position, l) in planned.iter().enumerate() {
        let quantity = l.quantity.to_string();
        let (v, d, version) = match before.get(&l.product_id) {
            Some(old) if old.quantity == quantity => (old.v.0, old.d.0, old.version),
            Some(old) => (false, false, old.version + 1),
            None => (false, false, 1),
        };
        let line = store::cargue::NewLine {
            product_id: l.product_id,
            position: position as i64,
            quantity: &quantity,
            v,
            d,
            version,
        };
        store::cargue::insert_line(&mut tx, sheet.id, line, &now).await?;
    }
    let lines: Vec<LineView> = store::cargue::lines(&mut *tx, sheet.id)
        .await?
        .into_iter()
        .map(line_view)
        .collect();
    let detail = json!({
        "seller_code": seller_code, "date": date_text,
        "lines": planned.iter().map(|l| json!({"product_id": l.product_id, "quantity": l.quantity.to_string()})).collect::<Vec<_>>(),
    });
    let payload = payload(&event(CargueEventKind::SheetReplaced, &sheet, date).with_lines(lines));
    let change = SheetChange {
        action: SyncAction::UpdateCargue,
        stream: stream_of(seller_code),
        payload,
        detail,
    };
    finish(tx, db, hub, actor, change).await?;
    view(db, seller_code, date).await
}

/// A seller ticks only V on its own sheet, a dispatcher only D, an admin
/// either. Setting a check to the value it has changes nothing.
pub async fn check(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
    req: &CheckRequest,
) -> ServiceResult<LineView> {
    known_seller(db, actor, seller_code).await?;
    match actor.role {
        Role::Seller if req.d.is_some() => return Err(ServiceError::Forbidden),
        Role::Dispatcher if req.v.is_some() => return Err(ServiceError::Forbidden),
        _ => {}
    }
    if req.v.is_none() && req.d.is_none() {
        return Err(ServiceError::invalid("v", "envíe v o d"));
    }
    let now = clock::now();
    let date_text = date.format("%Y-%m-%d").to_string();
    let mut tx = db.write().begin().await?;
    let sheet = store::cargue::lock_existing(&mut tx, seller_code, &date_text, db.row_lock())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let line = store::cargue::line(&mut tx, sheet.id, req.product_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if sheet.closed.0 {
        return Err(closed());
    }
    let (v, d) = (req.v.unwrap_or(line.v.0), req.d.unwrap_or(line.d.0));
    if (v, d) == (line.v.0, line.d.0) {
        return Ok(line_view(line));
    }
    store::cargue::set_checks(&mut tx, sheet.id, req.product_id, v, d, &now).await?;
    let updated = store::cargue::line(&mut tx, sheet.id, req.product_id)
        .await?
        .map(line_view)
        .ok_or(ServiceError::NotFound)?;
    let payload = payload(&event(CargueEventKind::CheckUpdate, &sheet, date).with_line(&updated));
    // The check that was set, by name, beside the sheet and the product.
    let mut detail = json!({
        "seller_code": seller_code, "date": date_text,
        "product_id": updated.product_id, "product": updated.product,
    });
    if let Some(v) = req.v {
        detail["v"] = json!(v);
    }
    if let Some(d) = req.d {
        detail["d"] = json!(d);
    }
    let change = SheetChange {
        action: SyncAction::UpdateCargue,
        stream: stream_of(seller_code),
        payload,
        detail,
    };
    finish(tx, db, hub, actor, change).await?;
    Ok(updated)
}

pub async fn close(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    seller_code: &str,
    date: NaiveDate,
) -> ServiceResult<SheetView> {
    if !matches!(actor.role, Role::Admin | Role::Dispatcher) {
        return Err(ServiceError::Forbidden);
    }
    known_seller(db, actor, seller_code).await?;
    let now = clock::now();
    let date_text = date.format("%Y-%m-%d").to_string();
    let mut tx = db.write().begin().await?;
    let sheet =
        store::cargue::lock_or_create(&mut tx, seller_code, &date_text, &now, db.row_lock())
            .await?;
    if sheet.closed.0 {
        return Err(closed());
    }
    store::cargue::close(&mut tx, sheet.id, &now).await?;
    let payload = payload(&event(CargueEventKind::ShiftClosed, &sheet, date));
    let detail = json!({ "seller_code": seller_code, "date": date_text });
    let change = SheetChange {
        action: SyncAction::CloseShift,
        stream: stream_of(seller_code),
        payload,
        detail,
    };
    finish(tx, db, hub, actor, change).await?;
    view(db, seller_code, date).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_day_names() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(day_name(d("2026-02-16")), "LUNES");
        assert_eq!(day_name(d("2026-02-18")), "MIÉRCOLES");
        assert_eq!(day_name(d("2026-02-21")), "SÁBADO");
        assert_eq!(day_name(d("2026-02-22")), "DOMINGO");
    }
}
