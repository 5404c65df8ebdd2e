//! The dispatcher's board: every seller's sheet, fetched, then kept live
//! by each seller's stream; a sheet fetched while events arrive gets them
//! re-applied on top.
use crate::i18n::{describe, use_lang, Lang};
use crate::services::api::ApiError;
use crate::services::cargue::{self, Check, Seller, Sheet, SheetOnDevice, Tick, FLASH};
use crate::services::live::{self, Status, Subscription};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::wire::cargue::{CargueEvent, CargueEventKind};
use serde_json::Value;
use std::collections::HashMap;

/// Events kept per seller to re-apply on top of a sheet fetched while they
/// were arriving (the fetch may have read the lines just before them).
const RECENT_EVENTS: usize = 500;

/// Every seller's sheet for the chosen day, with their streams' state.
#[derive(Clone, Copy)]
pub(super) struct LiveBoard {
    /// Captured here: async tasks run outside the component, where the
    /// language context cannot be looked up.
    lang: RwSignal<Lang>,
    pub(super) token: RwSignal<String>,
    pub(super) sellers: RwSignal<Vec<Seller>>,
    pub(super) sheets: RwSignal<HashMap<String, Sheet>>,
    pub(super) statuses: RwSignal<HashMap<String, Status>>,
    pub(super) selected: RwSignal<String>,
    pub(super) date: RwSignal<String>,
    pub(super) notice: RwSignal<Option<String>>,
    /// Bumped for a seller when the stream says the day was settled or
    /// re-opened: the settlement panel reloads on it.
    pub(super) settlement_changes: RwSignal<HashMap<String, u32>>,
    recent: StoredValue<HashMap<String, Vec<Value>>>,
}

impl LiveBoard {
    pub(super) fn new() -> Self {
        Self {
            lang: use_lang(),
            token: RwSignal::new(String::new()),
            sellers: RwSignal::new(Vec::new()),
            sheets: RwSignal::new(HashMap::new()),
            statuses: RwSignal::new(HashMap::new()),
            selected: RwSignal::new(String::new()),
            date: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            settlement_changes: RwSignal::new(HashMap::new()),
            recent: StoredValue::new(HashMap::new()),
        }
    }

    pub(super) fn fail(self, error: &ApiError) {
        self.notice
            .set(Some(describe(self.lang.get_untracked(), error)));
    }

    pub(super) fn store_sheet(self, mut sheet: Sheet) {
        let code = sheet.seller_code.clone();
        self.recent.with_value(|r| {
            for e in r.get(&code).into_iter().flatten() {
                if e.get("seq").and_then(Value::as_i64).unwrap_or(0) > sheet.seq {
                    sheet.apply_message(e);
                }
            }
        });
        sheet.clear_flash();
        self.sheets.update(|m| {
            m.insert(code, sheet);
        });
    }

    /// Every seller's sheet for `date` (the server's today when `None`).
    pub(super) async fn load(self, date: Option<String>) {
        let token = self.token.get_untracked();
        let mut date = date;
        for seller in self.sellers.get_untracked() {
            match cargue::fetch(&token, &seller.seller_code, date.as_deref()).await {
                Ok(sheet) => {
                    if date.is_none() {
                        date = Some(sheet.date.clone());
                        self.date.set(sheet.date.clone());
                    }
                    self.store_sheet(sheet);
                }
                Err(e) => self.fail(&e),
            }
        }
    }

    fn on_event(self, code: &str, event: Value) {
        self.recent.update_value(|r| {
            let kept = r.entry(code.to_owned()).or_default();
            kept.push(event.clone());
            if kept.len() > RECENT_EVENTS {
                kept.drain(..kept.len() - RECENT_EVENTS);
            }
        });
        let settles = CargueEvent::read(&event).is_some_and(|e| {
            matches!(
                e.kind,
                CargueEventKind::ShiftSettled | CargueEventKind::ShiftReopened
            )
        });
        if settles {
            self.settlement_changes.update(|m| {
                *m.entry(code.to_owned()).or_default() += 1;
            });
        }
        let mut changed = false;
        self.sheets.update(|m| {
            if let Some(sheet) = m.get_mut(code) {
                changed = sheet.apply_message(&event);
            }
        });
        if changed {
            let code = code.to_owned();
            set_timeout(
                move || {
                    self.sheets.update(|m| {
                        if let Some(s) = m.get_mut(&code) {
                            s.clear_flash();
                        }
                    })
                },
                FLASH,
            );
        }
    }

    pub(super) fn subscribe(self, code: String) -> Subscription {
        let after = self
            .sheets
            .with_untracked(|m| m.get(&code).map(|s| s.seq).unwrap_or(0));
        let path = format!("/ws/cargue/{code}/");
        let (for_events, for_status) = (code.clone(), code);
        live::subscribe(
            path,
            self.token.get_untracked(),
            after,
            move |event| self.on_event(&for_events, event),
            move |status| {
                self.statuses.update(|m| {
                    m.insert(for_status.clone(), status);
                })
            },
        )
    }

    pub(super) fn shown(self) -> Option<Sheet> {
        let code = self.selected.get();
        self.sheets.with(|m| m.get(&code).cloned())
    }

    pub(super) fn tick_d(self, product_id: i64, value: bool) {
        let tick = Tick {
            seller_code: self.selected.get_untracked(),
            date: self.date.get_untracked(),
            product_id,
            check: Check::D,
            value,
        };
        let token = self.token.get_untracked();
        spawn_local(async move {
            let result = cargue::send_tick(&token, &tick).await;
            self.sheets.update(|m| {
                if let (Some(sheet), Ok(line)) = (m.get_mut(&tick.seller_code), &result) {
                    sheet.apply_line(line);
                }
                // On failure the update alone puts the checkbox back.
            });
            if let Err(e) = result {
                self.fail(&e);
            }
        });
    }
}
