//! The day's settlement (liquidación) of the seller shown: per product
//! what was loaded, sold and returned, what should be left and what the
//! dispatcher counted; the money by payment method and the cash counted.
//! "Liquidar" sends the count with the version it was made on; an admin
//! can re-open a settled day with a reason. Reloaded when the seller's
//! stream says the day was settled or re-opened, and after each action.
use super::board::LiveBoard;
use crate::i18n::{describe, money, number, number_refusal, payment_key, text, use_lang, when};
use crate::i18n::{Key, Lang};
use crate::services::api::ApiError;
use crate::services::cargue::settlement::{
    self, CountedLine, SettleRequest, SettlementLine, SettlementState, SettlementView,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::money::parse_decimal_text;
use ruta_shared::sale::PaymentMethod;
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

/// `counted - expected` for display: `(text, class)`; `None` when the
/// count is not a number yet.
fn difference(
    lang: Lang,
    counted: &str,
    expected: &str,
    decimals: usize,
) -> Option<(String, &'static str)> {
    let counted = lang.numbers().parse(counted).ok()?;
    let expected = parse_decimal_text(expected.trim()).ok()?;
    let diff = counted - expected;
    Some((
        lang.numbers().format(diff, decimals),
        tone(diff.is_zero(), diff.is_sign_negative()),
    ))
}

/// The server's difference text (`"-2.000"`), shown and classed.
fn stored_difference(lang: Lang, wire: &str, decimals: usize) -> (String, &'static str) {
    let shown = if decimals == 0 {
        number(lang, wire)
    } else {
        money(lang, wire)
    };
    let zero = parse_decimal_text(wire.trim()).is_ok_and(|d| d.is_zero());
    (shown, tone(zero, wire.trim_start().starts_with('-')))
}

fn tone(zero: bool, negative: bool) -> &'static str {
    match (zero, negative) {
        (true, _) => "even",
        (false, true) => "short",
        (false, false) => "over",
    }
}

fn tone_key(tone: &str) -> Key {
    match tone {
        "short" => key!("settle.short"),
        "over" => key!("settle.over"),
        _ => key!("settle.even"),
    }
}

fn state_key(state: SettlementState) -> Key {
    match state {
        SettlementState::Open => key!("settle.state.open"),
        SettlementState::Settled => key!("settle.state.settled"),
        SettlementState::Reopened => key!("settle.state.reopened"),
    }
}

/// A difference cell's content: the amount and, unless even, its word.
fn difference_view(lang: Lang, shown: Option<(String, &'static str)>) -> impl IntoView {
    shown.map(|(amount, tone)| {
        let word = text(lang, tone_key(tone));
        view! {
            <span class=format!("diff {tone}") data-tone=tone>
                {amount}
                {(tone != "even").then(|| view! { <small>" "{word}</small> })}
            </span>
        }
    })
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

/// Who settled and when, who re-opened it and why.
#[component]
fn StateLine(view: SettlementView, lang: Lang) -> impl IntoView {
    let settled = view.settled_by.clone().zip(view.settled_at.clone()).map(|(who, at)| {
        let line = text(lang, key!("settle.settled_by"))
            .replace("{who}", &who)
            .replace("{when}", &when(&at));
        view! { <p class="settle-who" data-testid="settled-by">{line}" · "{text(lang, key!("settle.version"))}" "{view.version}</p> }
    });
    let reopened = view
        .reopened_by
        .clone()
        .zip(view.reopened_at.clone())
        .map(|(who, at)| {
            let line = text(lang, key!("settle.reopened_by"))
                .replace("{who}", &who)
                .replace("{when}", &when(&at))
                .replace(
                    "{reason}",
                    view.reopen_reason.as_deref().unwrap_or_default(),
                );
            view! { <p class="settle-who reopened" data-testid="reopened-by">{line}</p> }
        });
    view! { {settled}{reopened} }
}

/// Sales still on phones, and sales that came after the settlement.
#[component]
fn Warnings(view: SettlementView, lang: Lang) -> impl IntoView {
    let unsynced = view
        .unsynced
        .iter()
        .map(|u| {
            let device = u.name.clone().unwrap_or_else(|| u.device_id.clone());
            let held = (u.sales > 0).then(|| {
                text(lang, key!("settle.unsynced"))
                    .replace("{n}", &u.sales.to_string())
                    .replace("{device}", &device)
            });
            let reported = u.reported_unsynced.map(|n| {
                let at = u.reported_at.as_deref().map(when).unwrap_or_default();
                let line = text(lang, key!("settle.reported"))
                    .replace("{n}", &n.to_string())
                    .replace("{device}", &device);
                format!("{line} ({at})")
            });
            let line = [held, reported]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let last = u
                .last_sync_at
                .as_deref()
                .map(|at| format!(" ({} {})", text(lang, key!("settle.last_sync")), when(at)));
            view! { <li data-testid="unsynced" data-device=u.device_id.clone()>{line}{last}</li> }
        })
        .collect_view();
    let late = (!view.late_sales.is_empty()).then(|| {
        let rows = view
            .late_sales
            .iter()
            .map(|s| {
                let number = s.number.clone().unwrap_or_else(|| format!("#{}", s.sale_id));
                let total = s.total.as_deref().map(|t| format!("$ {}", money(lang, t)));
                view! { <li data-testid="late-sale">{number}" · "{total}" · "{when(&s.accepted_at)}</li> }
            })
            .collect_view();
        view! {
            <div class="pending-note late" data-testid="late-sales">
                <strong>{text(lang, key!("settle.late"))}</strong>
                <p class="small">{text(lang, key!("settle.late_hint"))}</p>
                <ul>{rows}</ul>
            </div>
        }
    });
    view! {
        {(!view.unsynced.is_empty()).then(|| view! { <ul class="pending-note unsynced-list">{unsynced}</ul> })}
        {late}
    }
}

#[component]
fn LinesTable(panel: Panel, lines: Vec<SettlementLine>, settled: bool) -> impl IntoView {
    let lang = panel.lang;
    let l = lang.get_untracked();
    if lines.is_empty() {
        return view! { <p class="muted empty">{text(l, key!("settle.no_lines"))}</p> }.into_any();
    }
    let head = |k: Key| text(l, k);
    let rows = lines
        .into_iter()
        .map(|line| {
            let id = line.product_id;
            let expected = line.expected_left.clone();
            let diff = {
                let (stored, expected) = (line.difference.clone(), expected.clone());
                move || {
                    let l = lang.get();
                    let shown = match (&stored, settled) {
                        (Some(d), true) => Some(stored_difference(l, d, 0)),
                        _ => panel
                            .counts
                            .with(|m| m.get(&id).and_then(|t| difference(l, t, &expected, 0))),
                    };
                    difference_view(l, shown)
                }
            };
            let label = move |k: Key| text(lang.get(), k);
            view! {
                <tr data-settle-product=id.to_string() data-testid="settle-line">
                    <td class="name">{line.product.clone()}</td>
                    <td class="num" data-label=move || label(key!("settle.loaded"))>{move || number(lang.get(), &line.loaded)}</td>
                    <td class="num" data-label=move || label(key!("settle.sold"))>{move || number(lang.get(), &line.sold)}</td>
                    <td class="num" data-label=move || label(key!("settle.returned"))>{move || number(lang.get(), &line.returned)}</td>
                    <td class="num expected" data-label=move || label(key!("settle.expected"))
                        data-testid=format!("expected-{id}")>{move || number(lang.get(), &expected)}</td>
                    <td class="num counted" data-label=move || label(key!("settle.counted"))>
                        <input type="text" inputmode="decimal" autocomplete="off" disabled=settled
                            aria-label=format!("{} {}", head(key!("settle.counted")), line.product)
                            data-testid=format!("left-{id}")
                            prop:value=move || panel.counts.with(|m| m.get(&id).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let typed = event_target_value(&ev);
                                panel.counts.update(|m| { m.insert(id, typed); });
                            }/>
                    </td>
                    <td class="num difference" data-label=move || label(key!("settle.difference"))
                        data-testid=format!("diff-{id}")>{diff}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="settle-lines" data-testid="settle-lines">
            <thead>
                <tr>
                    <th>{move || text(lang.get(), key!("cargue.product"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.loaded"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.sold"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.returned"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.expected"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.counted"))}</th>
                    <th class="num">{move || text(lang.get(), key!("settle.difference"))}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Payments(view: SettlementView, lang: Lang) -> impl IntoView {
    let p = &view.payments;
    let rows = [
        (PaymentMethod::Cash, &p.cash),
        (PaymentMethod::Transfer, &p.transfer),
        (PaymentMethod::Card, &p.card),
        (PaymentMethod::Credit, &p.credit),
    ]
    .into_iter()
    .map(|(method, amount)| {
        view! {
            <dt>{text(lang, payment_key(method))}</dt>
            <dd data-testid=format!("pay-{}", method.as_str())>{format!("$ {}", money(lang, amount))}</dd>
        }
    })
    .collect_view();
    view! {
        <div class="settle-box">
            <h3>{text(lang, key!("settle.payments"))}</h3>
            <dl class="totals">
                {rows}
                <dt class="grand">{text(lang, key!("settle.total"))}</dt>
                <dd class="grand" data-testid="pay-total">{format!("$ {}", money(lang, &p.total))}</dd>
            </dl>
            <p class="muted small" data-testid="sales-count">
                {format!("{} {} · {} {}", view.sales_count, text(lang, key!("settle.sales_count")),
                    view.voided_count, text(lang, key!("settle.voided")))}
            </p>
        </div>
    }
}

#[component]
fn Cash(panel: Panel, view: SettlementView, settled: bool) -> impl IntoView {
    let lang = panel.lang;
    let expected = view.cash_expected.clone();
    let stored = view.cash_difference.clone();
    let diff = {
        let expected = expected.clone();
        move || {
            let l = lang.get();
            let shown = match (&stored, settled) {
                (Some(d), true) => Some(stored_difference(l, d, 2)),
                _ => panel.cash.with(|t| difference(l, t, &expected, 2)),
            };
            difference_view(l, shown)
        }
    };
    view! {
        <div class="settle-box cash">
            <h3>{move || text(lang.get(), key!("pay.cash"))}</h3>
            <dl class="totals">
                <dt>{move || text(lang.get(), key!("settle.cash_expected"))}</dt>
                <dd data-testid="cash-expected">{move || format!("$ {}", money(lang.get(), &expected))}</dd>
            </dl>
            <label class="cash-input">
                <span>{move || text(lang.get(), key!("settle.cash_counted"))}</span>
                <input type="text" inputmode="decimal" autocomplete="off" disabled=settled
                    data-testid="cash-counted"
                    prop:value=move || panel.cash.get()
                    on:input=move |ev| panel.cash.set(event_target_value(&ev))/>
            </label>
            <dl class="totals">
                <dt>{move || text(lang.get(), key!("settle.cash_difference"))}</dt>
                <dd data-testid="cash-difference">{diff}</dd>
            </dl>
        </div>
    }
}
