//! The cargue sheet on the client: its lines, the events that change them,
//! the API calls, and the seller's outbox of ticks made without signal.
use super::api::{self, ApiError, Method};
use super::storage;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How long a line changed by a live event stays highlighted.
pub const FLASH: std::time::Duration = std::time::Duration::from_millis(1_500);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub product_id: i64,
    pub product: String,
    pub quantity: String,
    pub v: bool,
    pub d: bool,
    pub version: i64,
    /// Changed by a live event a moment ago (briefly highlighted).
    #[serde(default)]
    pub flash: bool,
    /// A tick made here that the server has not confirmed yet.
    #[serde(default)]
    pub unsent: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Sheet {
    pub seller_code: String,
    pub date: String,
    pub day: String,
    pub closed: bool,
    pub seq: i64,
    pub lines: Vec<Line>,
}

impl Sheet {
    pub fn complete(&self) -> usize {
        self.lines.iter().filter(|l| l.v && l.d).count()
    }
    pub fn unchecked(&self) -> usize {
        self.lines.len() - self.complete()
    }

    /// Applies a stream event; returns whether anything changed.
    pub fn apply(&mut self, event: &Value) -> bool {
        if let Some(seq) = event.get("seq").and_then(Value::as_i64) {
            self.seq = self.seq.max(seq);
        }
        if event.get("date").and_then(Value::as_str) != Some(self.date.as_str()) {
            return false;
        }
        match event.get("type").and_then(Value::as_str) {
            Some("check_update") => {
                let id = event.get("product_id").and_then(Value::as_i64);
                let version = event.get("version").and_then(Value::as_i64).unwrap_or(0);
                let mut changed = false;
                for l in &mut self.lines {
                    if Some(l.product_id) == id && version >= l.version {
                        l.v = event.get("v").and_then(Value::as_bool).unwrap_or(l.v);
                        l.d = event.get("d").and_then(Value::as_bool).unwrap_or(l.d);
                        l.version = version;
                        l.flash = true;
                        l.unsent = false;
                        changed = true;
                    }
                }
                changed
            }
            Some("sheet_replaced") => {
                // Through text, not `from_value`: a second deserializer for
                // the lines would only grow the phone's WASM (as in idb).
                // `to_string`, not `Value`'s `Display`, for the same reason.
                if let Some(lines) = event
                    .get("lines")
                    .and_then(|l| serde_json::to_string(l).ok())
                    .and_then(|text| serde_json::from_str(&text).ok())
                {
                    self.lines = lines;
                }
                true
            }
            Some("shift_closed") => {
                self.closed = true;
                true
            }
            _ => false,
        }
    }

    /// Takes a line the server returned (a check's response) unless a newer
    /// version already arrived by the stream.
    pub fn apply_line(&mut self, line: &Line) -> bool {
        match self
            .lines
            .iter_mut()
            .find(|l| l.product_id == line.product_id)
        {
            Some(l) if line.version >= l.version => {
                l.v = line.v;
                l.d = line.d;
                l.version = line.version;
                true
            }
            _ => false,
        }
    }

    pub fn clear_flash(&mut self) {
        for l in &mut self.lines {
            l.flash = false;
        }
    }

    /// Shows the ticks still waiting in the outbox on top of the server's
    /// state, marked unsent.
    pub fn overlay(&mut self, pending: &[Tick]) {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seller {
    pub seller_code: String,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedLine {
    pub product_id: i64,
    pub quantity: String,
}

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
    api::call(Method::Put, &path, token, Some(&json!({ "lines": lines }))).await
}

pub async fn send_tick(token: &str, tick: &Tick) -> Result<Line, ApiError> {
    let mut body = json!({"date": tick.date, "product_id": tick.product_id});
    let key = match tick.check {
        Check::V => "v",
        Check::D => "d",
    };
    body[key] = json!(tick.value);
    let path = format!("{}check/", sheet_path(&tick.seller_code));
    api::call(Method::Post, &path, token, Some(&body)).await
}

pub async fn close(token: &str, seller_code: &str, date: &str) -> Result<Value, ApiError> {
    let path = format!("{}close/", sheet_path(seller_code));
    api::call(Method::Post, &path, token, Some(&json!({ "date": date }))).await
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
                flash: false,
                unsent: false,
            }],
        }
    }

    #[test]
    fn a_newer_tick_applies_and_an_older_one_does_not() {
        let mut s = sheet();
        let tick = json!({"type": "check_update", "seq": 2, "date": "2026-02-16", "product_id": 10, "v": true, "d": false, "version": 2});
        assert!(s.apply(&tick));
        assert!(s.lines[0].v && s.lines[0].flash);
        let stale = json!({"type": "check_update", "seq": 3, "date": "2026-02-16", "product_id": 10, "v": false, "d": false, "version": 1});
        assert!(!s.apply(&stale));
        assert!(s.lines[0].v);
        assert_eq!(s.seq, 3);
        let other_day = json!({"type": "shift_closed", "seq": 4, "date": "2026-02-17"});
        assert!(!s.apply(&other_day));
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
        let confirmed = json!({"type": "check_update", "seq": 2, "date": "2026-02-16", "product_id": 10, "v": true, "d": true, "version": 2});
        s.apply(&confirmed);
        assert!(!s.lines[0].unsent);
        assert_eq!(s.complete(), 1);
    }
}
