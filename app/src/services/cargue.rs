//! The cargue sheet on the client: its lines, the events that change them,
//! the API calls, and the seller's outbox of ticks made without signal.
use super::api::{self, ApiError, Method};
use super::storage;
use ruta_shared::wire::cargue::{
    CargueEvent, CheckRequest, CloseShift, LineView, ReplaceSheet, SheetView,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How long a line changed by a live event stays highlighted.
pub const FLASH: std::time::Duration = std::time::Duration::from_millis(1_500);

/// The sheet and its lines are the server's own shapes (`ruta_shared::wire`).
pub type Line = LineView;
pub type Sheet = SheetView;

/// What the client does to a sheet beyond the shared rules: read a raw
/// stream message, and show this device's unsent ticks.
pub trait SheetOnDevice {
    /// Applies a stream message; returns whether anything changed.
    fn apply_message(&mut self, message: &Value) -> bool;
    /// Shows the ticks still waiting in the outbox on top of the server's
    /// state, marked unsent.
    fn overlay(&mut self, pending: &[Tick]);
}

impl SheetOnDevice for SheetView {
    fn apply_message(&mut self, message: &Value) -> bool {
        CargueEvent::read(message).is_some_and(|event| self.apply(&event))
    }

    fn overlay(&mut self, pending: &[Tick]) {
        for t in pending {
            if t.seller_code != self.seller_code || t.date != self.date {
                continue;
            }
            if let Some(l) = self.lines.iter_mut().find(|l| l.product_id == t.product_id) {
                match t.check {
                    Check::V => l.v = t.value,
                    Check::D => l.d = t.value,
                }
                l.unsent = true;
            }
        }
    }
}

/// Which check a tick sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    V,
    D,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    pub seller_code: String,
    pub date: String,
    pub product_id: i64,
    pub check: Check,
    pub value: bool,
}

pub use ruta_shared::wire::users::Seller;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
}

pub use ruta_shared::wire::cargue::PlannedLine;

fn sheet_path(seller_code: &str) -> String {
    format!("/api/v1/cargue/{seller_code}/")
}

/// The sheet for `date`, or the server's today when `date` is `None`.
pub async fn fetch(token: &str, seller_code: &str, date: Option<&str>) -> Result<Sheet, ApiError> {
    let path = match date {
        Some(d) => format!("{}?date={d}", sheet_path(seller_code)),
        None => sheet_path(seller_code),
    };
    api::call(Method::Get, &path, token, None).await
}

pub async fn plan(
    token: &str,
    seller_code: &str,
    date: &str,
    lines: &[PlannedLine],
) -> Result<Sheet, ApiError> {
    let path = format!("{}?date={date}", sheet_path(seller_code));
    let body = ReplaceSheet {
        lines: lines.to_vec(),
    };
    api::send_json(Method::Put, &path, token, &body).await
}

pub async fn send_tick(token: &str, tick: &Tick) -> Result<Line, ApiError> {
    let set = Some(tick.value);
    let body = CheckRequest {
        date: Some(tick.date.clone()),
        product_id: tick.product_id,
        v: set.filter(|_| tick.check == Check::V),
        d: set.filter(|_| tick.check == Check::D),
    };
    let path = format!("{}check/", sheet_path(&tick.seller_code));
    api::send_json(Method::Post, &path, token, &body).await
}

pub async fn close(token: &str, seller_code: &str, date: &str) -> Result<Sheet, ApiError> {
    let path = format!("{}close/", sheet_path(seller_code));
    let body = CloseShift {
        date: Some(date.to_owned()),
    };
    api::send_json(Method::Post, &path, token, &body).await
}

/// The day's settlement (office pages only: the phone never calls these).
pub mod settlement {
    use super::*;
    pub use ruta_shared::wire::settlement::{
        CountedLine, ReopenRequest, SettleRequest, SettlementLine, SettlementState, SettlementView,
    };

    pub async fn fetch(
        token: &str,
        seller_code: &str,
        date: &str,
    ) -> Result<SettlementView, ApiError> {
        let path = format!("{}settlement/?date={date}", sheet_path(seller_code));
        api::call(Method::Get, &path, token, None).await
    }

    pub async fn settle(
        token: &str,
        seller_code: &str,
        body: &SettleRequest,
    ) -> Result<SettlementView, ApiError> {
        let path = format!("{}settle/", sheet_path(seller_code));
        api::send_json(Method::Post, &path, token, body).await
    }

    pub async fn reopen(
        token: &str,
        seller_code: &str,
        date: &str,
        reason: &str,
    ) -> Result<SettlementView, ApiError> {
        let path = format!("{}reopen/", sheet_path(seller_code));
        let body = ReopenRequest {
            date: Some(date.to_owned()),
            reason: reason.to_owned(),
        };
        api::send_json(Method::Post, &path, token, &body).await
    }
}

pub async fn sellers(token: &str) -> Result<Vec<Seller>, ApiError> {
    api::call(Method::Get, "/api/v1/sellers/", token, None).await
}

pub async fn products(token: &str) -> Result<Vec<Product>, ApiError> {
    #[derive(Deserialize)]
    struct Page {
        results: Vec<Product>,
    }
    let page: Page = api::call(Method::Get, "/api/v1/products/?limit=200", token, None).await?;
    Ok(page.results)
}

/// Ticks made on this device that the server has not confirmed, kept in
/// localStorage so a closed tab or a dead battery does not lose them.
pub mod outbox {
    use super::*;

    const KEY: &str = "ruta.cargue.outbox";

    pub fn load() -> Vec<Tick> {
        storage::get(KEY)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    fn save(ticks: &[Tick]) {
        if let Ok(text) = serde_json::to_string(ticks) {
            storage::set(KEY, &text);
        }
    }

    /// Queues a tick; a later tick on the same check replaces an earlier one
    /// (only the last value matters, and it is what the seller sees).
    pub fn push(tick: Tick) {
        let mut ticks = load();
        ticks.retain(|t| !same_check(t, &tick));
        ticks.push(tick);
        save(&ticks);
    }

    fn same_check(a: &Tick, b: &Tick) -> bool {
        a.seller_code == b.seller_code
            && a.date == b.date
            && a.product_id == b.product_id
            && a.check == b.check
    }

    /// Sends every queued tick in order. Ticks the server refuses for good
    /// (closed sheet, product removed) are dropped and returned with the
    /// reason; a transient failure stops the flush and keeps the rest.
    pub async fn flush(token: &str) -> FlushReport {
        let mut report = FlushReport::default();
        for tick in load() {
            match send_tick(token, &tick).await {
                Ok(line) => report.sent.push((tick.clone(), line)),
                // Kept for later: no signal, throttled, or a session to renew.
                Err(e) if e.is_transient() || e == ApiError::Unauthorized => {
                    report.stopped = Some(e);
                    break;
                }
                Err(e) => report.refused.push((tick.clone(), e)),
            }
            // Re-read: a tick may have been queued while this one was in flight.
            let mut left = load();
            left.retain(|t| t != &tick);
            save(&left);
        }
        report
    }

    #[derive(Debug, Default)]
    pub struct FlushReport {
        pub sent: Vec<(Tick, Line)>,
        pub refused: Vec<(Tick, ApiError)>,
        pub stopped: Option<ApiError>,
    }
}

/// The last sheet seen, so a seller without signal still has it.
pub mod cache {
    use super::*;

    fn key(seller_code: &str) -> String {
        format!("ruta.cargue.sheet.{seller_code}")
    }

    pub fn load(seller_code: &str) -> Option<Sheet> {
        serde_json::from_str(&storage::get(&key(seller_code))?).ok()
    }

    pub fn save(sheet: &Sheet) {
        if let Ok(text) = serde_json::to_string(sheet) {
            storage::set(&key(&sheet.seller_code), &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sheet() -> Sheet {
        Sheet {
            seller_code: "ID1".into(),
            date: "2026-02-16".into(),
            day: "LUNES".into(),
            closed: false,
            seq: 1,
            lines: vec![Line {
                product_id: 10,
                product: "Arepa".into(),
                quantity: "40".into(),
                v: false,
                d: false,
                version: 1,
                ..Line::default()
            }],
        }
    }

    #[test]
    fn a_newer_tick_applies_and_an_older_one_does_not() {
        let mut s = sheet();
        let tick = json!({"type": "check_update", "seller_code": "ID1", "day": "LUNES", "seq": 2, "date": "2026-02-16", "product_id": 10, "v": true, "d": false, "version": 2});
        assert!(s.apply_message(&tick));
        assert!(s.lines[0].v && s.lines[0].flash);
        let stale = json!({"type": "check_update", "seller_code": "ID1", "day": "LUNES", "seq": 3, "date": "2026-02-16", "product_id": 10, "v": false, "d": false, "version": 1});
        assert!(!s.apply_message(&stale));
        assert!(s.lines[0].v);
        assert_eq!(s.seq, 3);
        let other_day = json!({"type": "shift_closed", "seller_code": "ID1", "day": "MARTES", "seq": 4, "date": "2026-02-17"});
        assert!(!s.apply_message(&other_day));
        assert!(!s.closed);
    }

    #[test]
    fn queued_ticks_show_over_the_server_state_until_confirmed() {
        let mut s = sheet();
        let tick = Tick {
            seller_code: "ID1".into(),
            date: "2026-02-16".into(),
            product_id: 10,
            check: Check::V,
            value: true,
        };
        let other_day = Tick {
            date: "2026-02-17".into(),
            product_id: 10,
            ..tick.clone()
        };
        s.overlay(&[tick, other_day]);
        assert!(s.lines[0].v && s.lines[0].unsent);
        assert_eq!(s.unchecked(), 1);
        let confirmed = json!({"type": "check_update", "seller_code": "ID1", "day": "LUNES", "seq": 2, "date": "2026-02-16", "product_id": 10, "v": true, "d": true, "version": 2});
        s.apply_message(&confirmed);
        assert!(!s.lines[0].unsent);
        assert_eq!(s.complete(), 1);
    }
}
