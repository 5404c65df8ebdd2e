//! `/api/v1/cargue/…` and the `cargue:<seller>` stream: a seller's truck
//! sheet for a day, its planned lines with the V and D checks, and the
//! events that change it live.
use crate::money::Quantity;
use crate::sale::wire_enum;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A planned line and its checks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LineView {
    pub product_id: i64,
    pub product: String,
    pub quantity: String,
    pub v: bool,
    pub d: bool,
    pub version: i64,
    #[serde(default)]
    pub updated_at: String,
    /// Changed by a live event a moment ago: a mark the client keeps for
    /// its screen, never on the wire.
    #[serde(skip)]
    pub flash: bool,
    /// A tick made on this device that the server has not confirmed yet
    /// (client-side, never on the wire).
    #[serde(skip)]
    pub unsent: bool,
}

/// `GET /api/v1/cargue/{seller_code}/?date=`: `seq` is the stream's latest
/// event when the sheet was read, for `?after=` on the WebSocket.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SheetView {
    pub seller_code: String,
    pub date: String,
    /// The day's name in Spanish capitals (`LUNES`…).
    pub day: String,
    pub closed: bool,
    pub seq: i64,
    pub lines: Vec<LineView>,
}

impl SheetView {
    /// Lines with both checks.
    pub fn complete(&self) -> usize {
        self.lines.iter().filter(|l| l.v && l.d).count()
    }

    pub fn unchecked(&self) -> usize {
        self.lines.len() - self.complete()
    }

    /// Applies a stream event of this sheet's stream; returns whether the
    /// sheet changed. An event of another day only moves `seq` on; a check
    /// older than the line's version is ignored (it arrived late).
    pub fn apply(&mut self, event: &CargueEvent) -> bool {
        if let Some(seq) = event.seq {
            self.seq = self.seq.max(seq);
        }
        if event.date != self.date {
            return false;
        }
        match event.kind {
            CargueEventKind::CheckUpdate => {
                let version = event.version.unwrap_or(0);
                let mut changed = false;
                for l in &mut self.lines {
                    if Some(l.product_id) == event.product_id && version >= l.version {
                        l.v = event.v.unwrap_or(l.v);
                        l.d = event.d.unwrap_or(l.d);
                        l.version = version;
                        l.flash = true;
                        l.unsent = false;
                        changed = true;
                    }
                }
                changed
            }
            CargueEventKind::SheetReplaced => {
                if let Some(lines) = &event.lines {
                    self.lines = lines.clone();
                }
                true
            }
            CargueEventKind::ShiftClosed | CargueEventKind::ShiftSettled => {
                self.closed = true;
                true
            }
            CargueEventKind::ShiftReopened => {
                self.closed = false;
                true
            }
            // For the settlement (a sale of a settled day arrived), not the sheet.
            CargueEventKind::DaySalesChanged => false,
        }
    }

    /// Takes a line the server returned (a check's answer) unless a newer
    /// version already arrived by the stream.
    pub fn apply_line(&mut self, line: &LineView) -> bool {
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
}

/// A line of `PUT /api/v1/cargue/{seller_code}/`; `quantity` is written as
/// decimal text and read from text or a JSON number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedLine {
    pub product_id: i64,
    pub quantity: Quantity,
}

/// `PUT /api/v1/cargue/{seller_code}/?date=`: the whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaceSheet {
    pub lines: Vec<PlannedLine>,
}

/// `POST /api/v1/cargue/{seller_code}/check/`: sets V, D or both; a check
/// left out keeps its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub product_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<bool>,
}

/// `POST /api/v1/cargue/{seller_code}/close/`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CloseShift {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

wire_enum!(
    /// What a cargue stream event says happened.
    CargueEventKind {
        CheckUpdate = "check_update",
        SheetReplaced = "sheet_replaced",
        ShiftClosed = "shift_closed",
        ShiftSettled = "shift_settled",
        ShiftReopened = "shift_reopened",
        DaySalesChanged = "day_sales_changed",
    }
);

/// An event of the `cargue:<seller_code>` stream. One flat struct rather
/// than an internally tagged enum: serde buffers every tagged enum it reads
/// through a generic content tree, which the phone's WASM would carry for
/// this one type. `product_id`…`version` come with `check_update`, `lines`
/// with `sheet_replaced`; `seq` and `ts` are set when the event is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CargueEvent {
    #[serde(rename = "type")]
    pub kind: CargueEventKind,
    pub seller_code: String,
    pub date: String,
    pub day: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<LineView>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<String>,
}

impl CargueEvent {
    /// An event about the sheet of `seller_code` on `date` (`day` its name).
    pub fn new(kind: CargueEventKind, seller_code: &str, date: &str, day: &str) -> Self {
        Self {
            kind,
            seller_code: seller_code.to_owned(),
            date: date.to_owned(),
            day: day.to_owned(),
            product_id: None,
            product: None,
            v: None,
            d: None,
            version: None,
            lines: None,
            seq: None,
            ts: None,
        }
    }

    /// A `check_update` carries the line's checks after the change.
    pub fn with_line(self, line: &LineView) -> Self {
        Self {
            product_id: Some(line.product_id),
            product: Some(line.product.clone()),
            v: Some(line.v),
            d: Some(line.d),
            version: Some(line.version),
            ..self
        }
    }

    /// Reads a stream message by hand rather than through the derived
    /// `Deserialize`: the phone already holds the message as a `Value`, and
    /// a struct visitor for this one type would only grow its WASM. The
    /// lines go through text, as the sheet's own do. Held to the derived
    /// shape by `a_read_event_is_the_event_written`.
    pub fn read(message: &Value) -> Option<Self> {
        let text = |key: &str| message.get(key).and_then(Value::as_str).map(str::to_owned);
        let flag = |key: &str| message.get(key).and_then(Value::as_bool);
        let number = |key: &str| message.get(key).and_then(Value::as_i64);
        let lines = match message.get("lines") {
            Some(lines) => Some(serde_json::from_str(&serde_json::to_string(lines).ok()?).ok()?),
            None => None,
        };
        Some(Self {
            kind: CargueEventKind::parse(message.get("type")?.as_str()?)?,
            seller_code: text("seller_code")?,
            date: text("date")?,
            day: text("day")?,
            product_id: number("product_id"),
            product: text("product"),
            v: flag("v"),
            d: flag("d"),
            version: number("version"),
            lines,
            seq: number("seq"),
            ts: text("ts"),
        })
    }

    /// A `sheet_replaced` carries the new lines.
    pub fn with_lines(self, lines: Vec<LineView>) -> Self {
        Self {
            lines: Some(lines),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: CargueEventKind) -> CargueEvent {
        CargueEvent::new(kind, "ID1", "2026-12-07", "LUNES")
    }

    fn sheet() -> SheetView {
        SheetView {
            seller_code: "ID1".into(),
            date: "2026-12-07".into(),
            day: "LUNES".into(),
            closed: false,
            seq: 4,
            lines: vec![LineView {
                product_id: 10,
                product: "Arepa".into(),
                quantity: "40".into(),
                v: true,
                d: false,
                version: 2,
                updated_at: "2026-12-07T06:00:00.000Z".into(),
                flash: true,
                unsent: true,
            }],
        }
    }

    #[test]
    fn a_check_update_is_the_json_the_stream_always_sent() {
        let s = sheet();
        assert_eq!(
            serde_json::to_value(event(CargueEventKind::CheckUpdate).with_line(&s.lines[0]))
                .unwrap(),
            json!({
                "type": "check_update", "seller_code": "ID1", "date": "2026-12-07",
                "day": "LUNES", "product_id": 10, "product": "Arepa",
                "v": true, "d": false, "version": 2
            })
        );
    }

    #[test]
    fn client_marks_stay_off_the_wire() {
        let s = sheet();
        let event = event(CargueEventKind::SheetReplaced).with_lines(s.lines);
        let value = serde_json::to_value(event).unwrap();
        assert_eq!(
            value["lines"],
            json!([{"product_id": 10, "product": "Arepa", "quantity": "40", "v": true,
                    "d": false, "version": 2, "updated_at": "2026-12-07T06:00:00.000Z"}])
        );
        let back: CargueEvent = serde_json::from_value(value).unwrap();
        let lines = back.lines.unwrap();
        assert!(!lines[0].flash && !lines[0].unsent);
    }

    #[test]
    fn a_stored_event_reads_with_its_seq_and_time() {
        let text = json!({"type": "shift_closed", "seller_code": "ID1", "date": "2026-12-07",
                          "day": "LUNES", "seq": 9, "ts": "2026-12-07T18:00:00.000Z"});
        let event: CargueEvent = serde_json::from_value(text).unwrap();
        assert_eq!(event.kind, CargueEventKind::ShiftClosed);
        assert_eq!(event.seq, Some(9));
        assert!(serde_json::from_value::<CargueEvent>(json!({"type": "dance"})).is_err());
    }

    #[test]
    fn a_newer_check_applies_and_an_older_or_other_days_does_not() {
        let mut s = sheet();
        s.lines[0].flash = false;
        let newer = CargueEvent {
            v: Some(false),
            d: Some(true),
            version: Some(3),
            seq: Some(5),
            ..event(CargueEventKind::CheckUpdate).with_line(&s.lines[0])
        };
        assert!(s.apply(&newer));
        assert!(s.lines[0].d && !s.lines[0].v && s.lines[0].flash && !s.lines[0].unsent);
        assert_eq!(s.complete(), 0);
        let stale = CargueEvent {
            v: Some(true),
            version: Some(2),
            seq: Some(6),
            ..newer.clone()
        };
        assert!(!s.apply(&stale));
        assert!(!s.lines[0].v);
        assert_eq!(s.seq, 6);
        let other_day = CargueEvent {
            date: "2026-12-08".into(),
            seq: Some(7),
            ..event(CargueEventKind::ShiftClosed)
        };
        assert!(!s.apply(&other_day));
        assert!(!s.closed && s.seq == 7);
        assert!(s.apply(&event(CargueEventKind::ShiftClosed)));
        assert!(s.closed);
    }

    #[test]
    fn a_planned_quantity_reads_from_text_or_a_number_and_is_written_as_text() {
        let from_number: PlannedLine =
            serde_json::from_value(json!({"product_id": 1, "quantity": 40})).unwrap();
        let from_text: PlannedLine =
            serde_json::from_value(json!({"product_id": 1, "quantity": "40"})).unwrap();
        assert_eq!(from_number, from_text);
        assert_eq!(
            serde_json::to_value(&from_text).unwrap()["quantity"],
            json!("40.000")
        );
        assert!(
            serde_json::from_value::<PlannedLine>(json!({"product_id": 1, "quantity": "-1"}))
                .is_err()
        );
    }

    #[test]
    fn a_read_event_is_the_event_written() {
        let s = sheet();
        let check = CargueEvent {
            seq: Some(4),
            ts: Some("2026-12-07T08:00:00.000Z".into()),
            ..event(CargueEventKind::CheckUpdate).with_line(&s.lines[0])
        };
        let replaced = event(CargueEventKind::SheetReplaced).with_lines(s.lines.clone());
        let closed = event(CargueEventKind::ShiftClosed);
        for written in [check, replaced, closed] {
            let message = serde_json::to_value(&written).unwrap();
            let derived: CargueEvent = serde_json::from_value(message.clone()).unwrap();
            let mut expected = written.clone();
            for l in expected.lines.iter_mut().flatten() {
                (l.flash, l.unsent) = (false, false);
            }
            assert_eq!(CargueEvent::read(&message), Some(expected.clone()));
            assert_eq!(derived, expected);
        }
        assert_eq!(
            CargueEvent::read(&json!({"type": "dance", "seller_code": "ID1"})),
            None
        );
        assert_eq!(CargueEvent::read(&json!({"type": "shift_closed"})), None);
    }

    #[test]
    fn a_check_leaves_out_the_check_it_does_not_set() {
        let req = CheckRequest {
            date: Some("2026-12-07".into()),
            product_id: 10,
            v: Some(true),
            d: None,
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"date": "2026-12-07", "product_id": 10, "v": true})
        );
    }
}
