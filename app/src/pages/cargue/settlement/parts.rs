//! The settlement panel's parts: the state line, the warnings (sales
//! still on phones, late sales), the product lines with their count, the
//! money by payment method and the cash count.
use super::Panel;
use crate::i18n::{money, number, payment_key, text, when};
use crate::i18n::{Key, Lang};
use crate::services::cargue::settlement::{SettlementLine, SettlementState, SettlementView};
use leptos::prelude::*;
use ruta_shared::money::parse_decimal_text;
use ruta_shared::sale::PaymentMethod;

/// `counted - expected` for display: `(text, class)`; `None` when the
/// count is not a number yet.
pub(super) fn difference(
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
pub(super) fn stored_difference(lang: Lang, wire: &str, decimals: usize) -> (String, &'static str) {
    let shown = if decimals == 0 {
        number(lang, wire)
    } else {
        money(lang, wire)
    };
    let zero = parse_decimal_text(wire.trim()).is_ok_and(|d| d.is_zero());
    (shown, tone(zero, wire.trim_start().starts_with('-')))
}

pub(super) fn tone(zero: bool, negative: bool) -> &'static str {
    match (zero, negative) {
        (true, _) => "even",
        (false, true) => "short",
        (false, false) => "over",
    }
}

pub(super) fn tone_key(tone: &str) -> Key {
    match tone {
        "short" => key!("settle.short"),
        "over" => key!("settle.over"),
        _ => key!("settle.even"),
    }
}

pub(super) fn state_key(state: SettlementState) -> Key {
    match state {
        SettlementState::Open => key!("settle.state.open"),
        SettlementState::Settled => key!("settle.state.settled"),
        SettlementState::Reopened => key!("settle.state.reopened"),
    }
}

/// A difference cell's content: the amount and, unless even, its word.
pub(super) fn difference_view(lang: Lang, shown: Option<(String, &'static str)>) -> impl IntoView {
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

/// Who settled and when, who re-opened it and why.
#[component]
pub(super) fn StateLine(view: SettlementView, lang: Lang) -> impl IntoView {
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
pub(super) fn Warnings(view: SettlementView, lang: Lang) -> impl IntoView {
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
pub(super) fn LinesTable(panel: Panel, lines: Vec<SettlementLine>, settled: bool) -> impl IntoView {
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
pub(super) fn Payments(view: SettlementView, lang: Lang) -> impl IntoView {
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
pub(super) fn Cash(panel: Panel, view: SettlementView, settled: bool) -> impl IntoView {
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
