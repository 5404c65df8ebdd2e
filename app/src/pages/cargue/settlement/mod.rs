//! The day's settlement (liquidación) of the seller shown: per product
//! what was loaded, sold and returned, what should be left and what the
//! dispatcher counted; the money by payment method and the cash counted.
//! "Liquidar" sends the count with the version it was made on; an admin
//! can re-open a settled day with a reason. Reloaded when the seller's
//! stream says the day was settled or re-opened, and after each action.
mod parts;

use super::board::LiveBoard;
use crate::i18n::Lang;
use crate::i18n::{describe, number, number_refusal, text, use_lang};
use crate::services::api::ApiError;
use crate::services::cargue::settlement::{
    self, CountedLine, SettleRequest, SettlementState, SettlementView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use parts::*;
use std::collections::HashMap;

/// The panel's state: the server's view and what is typed in it.
#[derive(Clone, Copy)]
struct Panel {
    lang: RwSignal<Lang>,
    data: RwSignal<Option<SettlementView>>,
    /// Typed counts per product, in the UI's number style.
    counts: RwSignal<HashMap<i64, String>>,
    cash: RwSignal<String>,
    reason: RwSignal<String>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    /// The language the typed numbers are written in.
    typed_in: StoredValue<Lang>,
}

impl Panel {
    /// Shows `view` and puts its count (if any) in the inputs.
    fn show(self, view: SettlementView) {
        let lang = self.lang.get_untracked();
        let counts = view
            .lines
            .iter()
            .filter_map(|l| Some((l.product_id, number(lang, l.counted_left.as_deref()?))))
            .collect();
        self.counts.set(counts);
        self.cash.set(
            view.cash_counted
                .as_deref()
                .map(|c| number(lang, c))
                .unwrap_or_default(),
        );
        self.typed_in.set_value(lang);
        self.data.set(Some(view));
    }

    async fn load(self, board: LiveBoard, code: String, date: String) {
        let token = board.token.get_untracked();
        let result = settlement::fetch(&token, &code, &date).await;
        // Another seller or day chosen meanwhile: this answer is stale.
        if board.selected.get_untracked() != code || board.date.get_untracked() != date {
            return;
        }
        match result {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    fn fail(self, e: &ApiError) {
        self.error.set(Some(describe(self.lang.get_untracked(), e)));
    }

    /// The typed count as the server reads it, or why not.
    fn request(self, view: &SettlementView) -> Result<SettleRequest, String> {
        let lang = self.lang.get_untracked();
        let style = lang.numbers();
        let mut lines = Vec::new();
        for line in &view.lines {
            let typed = self
                .counts
                .with_untracked(|m| m.get(&line.product_id).cloned().unwrap_or_default());
            if typed.trim().is_empty() {
                continue;
            }
            let left = style
                .parse(&typed)
                .map_err(|e| number_refusal(lang, &line.product, typed.trim(), e))?;
            lines.push(CountedLine {
                product_id: line.product_id,
                left: left.to_string(),
            });
        }
        let typed = self.cash.get_untracked();
        if typed.trim().is_empty() {
            return Err(text(lang, key!("settle.cash_required")).to_owned());
        }
        let cash = style.parse(&typed).map_err(|e| {
            number_refusal(
                lang,
                text(lang, key!("settle.cash_counted")),
                typed.trim(),
                e,
            )
        })?;
        Ok(SettleRequest {
            date: Some(view.date.clone()),
            lines,
            cash_counted: cash.to_string(),
            version: Some(view.version),
        })
    }

    /// Typed numbers rewritten in the new language's style, so `4.500`
    /// typed in Spanish is not read as 4.5 in English.
    fn retype(self, lang: Lang) {
        let from = self.typed_in.get_value();
        if from == lang {
            return;
        }
        let convert = |typed: &str| match from.numbers().parse(typed) {
            Ok(v) => lang.numbers().format(v, 0),
            Err(_) => typed.to_owned(),
        };
        self.counts
            .update(|m| m.values_mut().for_each(|t| *t = convert(t)));
        self.cash.update(|t| *t = convert(t));
        self.typed_in.set_value(lang);
    }
}
#[component]
pub(super) fn SettlementPanel(board: LiveBoard, is_admin: bool) -> impl IntoView {
    let panel = Panel {
        lang: use_lang(),
        data: RwSignal::new(None),
        counts: RwSignal::new(HashMap::new()),
        cash: RwSignal::new(String::new()),
        reason: RwSignal::new(String::new()),
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        typed_in: StoredValue::new(Lang::Es),
    };
    let lang = panel.lang;
    // Reload for the seller and day shown, and when the stream says the
    // day was settled or re-opened.
    Effect::new(move |_| {
        let code = board.selected.get();
        let date = board.date.get();
        board
            .settlement_changes
            .with(|m| m.get(&code).copied().unwrap_or(0));
        if code.is_empty() || date.is_empty() {
            return;
        }
        if untrack(|| {
            panel.data.with(|d| {
                d.as_ref()
                    .is_some_and(|d| d.seller_code != code || d.date != date)
            })
        }) {
            panel.data.set(None);
            panel.error.set(None);
        }
        spawn_local(panel.load(board, code, date));
    });
    Effect::new(move |_| panel.retype(lang.get()));

    let settle = move |_| {
        let Some(view) = panel.data.get_untracked() else {
            return;
        };
        let body = match panel.request(&view) {
            Ok(body) => body,
            Err(message) => return panel.error.set(Some(message)),
        };
        panel.error.set(None);
        panel.busy.set(true);
        let token = board.token.get_untracked();
        let code = view.seller_code.clone();
        spawn_local(async move {
            match settlement::settle(&token, &code, &body).await {
                Ok(view) => panel.show(view),
                Err(e) => {
                    panel.fail(&e);
                    // Stale or already settled: show the day as it is now.
                    if matches!(e, ApiError::Rejected(_)) {
                        if let Ok(now) = settlement::fetch(&token, &code, &view.date).await {
                            let typed = (panel.counts.get_untracked(), panel.cash.get_untracked());
                            panel.data.set(Some(now));
                            panel.counts.set(typed.0);
                            panel.cash.set(typed.1);
                        }
                    }
                }
            }
            panel.busy.set(false);
        });
    };
    let reopen = move |_| {
        let Some(view) = panel.data.get_untracked() else {
            return;
        };
        let reason = panel.reason.get_untracked();
        if reason.trim().is_empty() {
            let l = lang.get_untracked();
            return panel
                .error
                .set(Some(text(l, key!("settle.reason_required")).to_owned()));
        }
        panel.error.set(None);
        panel.busy.set(true);
        let token = board.token.get_untracked();
        spawn_local(async move {
            match settlement::reopen(&token, &view.seller_code, &view.date, reason.trim()).await {
                Ok(view) => {
                    panel.reason.set(String::new());
                    panel.show(view);
                }
                Err(e) => panel.fail(&e),
            }
            panel.busy.set(false);
        });
    };

    let body = move || {
        panel.data.with(|d| {
            d.clone().map(|view| {
                let l = lang.get();
                let settled = view.state == SettlementState::Settled;
                view! {
                    <StateLine view=view.clone() lang=l/>
                    <Warnings view=view.clone() lang=l/>
                    <LinesTable panel lines=view.lines.clone() settled/>
                    <div class="settle-money">
                        <Payments view=view.clone() lang=l/>
                        <Cash panel view=view.clone() settled/>
                    </div>
                }
            })
        })
    };
    let state = move || panel.data.with(|d| d.as_ref().map(|d| d.state));
    view! {
        <section class="sheet settlement" data-testid="settlement"
            data-state=move || state().map(|s| s.as_str()).unwrap_or_default()>
            <div class="settle-head">
                <h2>{move || text(lang.get(), key!("settle.title"))}</h2>
                {move || state().map(|s| view! {
                    <span class=format!("pill state-{}", s.as_str()) data-testid="settlement-state">
                        {text(lang.get(), state_key(s))}
                    </span>
                })}
            </div>
            {move || panel.error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="settle-error">{e}
                    <button type="button" class="link" on:click=move |_| panel.error.set(None)>"×"</button>
                </p>
            })}
            {body}
            <div class="actions">
                <Show when=move || state().is_some_and(|s| s != SettlementState::Settled)>
                    <button type="button" class="primary" data-testid="settle"
                        disabled=move || panel.busy.get() on:click=settle>
                        {move || text(lang.get(), key!("settle.submit"))}
                    </button>
                </Show>
            </div>
            <Show when=move || is_admin && state() == Some(SettlementState::Settled)>
                <div class="reopen">
                    <label>
                        <span>{move || text(lang.get(), key!("settle.reason"))}</span>
                        <input type="text" data-testid="reopen-reason" maxlength="500"
                            prop:value=move || panel.reason.get()
                            on:input=move |ev| panel.reason.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" class="danger" data-testid="reopen"
                        disabled=move || panel.busy.get() on:click=reopen>
                        {move || text(lang.get(), key!("settle.reopen"))}
                    </button>
                </div>
            </Show>
        </section>
    }
}
