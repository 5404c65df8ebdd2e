//! `?sale=<id>`: one sale's history in a drawer — the sale as it stands,
//! its earlier versions and its log rows, with "Anular" for a confirmed
//! sale.
use super::super::{run, use_admin, Admin};
use super::{device_label, is_void, number_of, sync_key, sync_tone, Names};
use crate::i18n::{money, number, payment_key, status_key, t, text, when, wire_word, Key, Lang};
use crate::services::admin::{self, LogRow, SaleHistory, SaleVersion};
use crate::services::api::ApiError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ruta_shared::conflict::ConflictField;
use ruta_shared::sale::{SaleStatus, SaleView};
use serde_json::Value;

/// The reason given when the sale was voided, from its `void_sale` row.
pub(super) fn void_reason(log: &[LogRow]) -> Option<String> {
    log.iter()
        .rev()
        .find(|r| r.action == "void_sale" && r.success)
        .and_then(|r| r.detail.as_ref())
        .and_then(|d| d["reason"].as_str())
        .map(str::to_owned)
}

/// A log row's detail as `key: value` pairs (nested values as JSON).
fn detail_text(detail: &Value) -> String {
    match detail {
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        other => other.to_string(),
    }
}

/// One earlier version's content, in words: status, payment, lines, notes.
fn version_cells(lang: Lang, v: &SaleVersion) -> impl IntoView {
    let c = &v.content;
    let word = |field: ConflictField| {
        c[field.as_str()]
            .as_str()
            .map(|w| wire_word(lang, field, w).unwrap_or(w).to_owned())
            .unwrap_or_default()
    };
    let lines = c["items"].as_array().map_or(0, Vec::len);
    view! {
        <td class="num">{v.version}</td>
        <td>{when(&v.superseded_at)}</td>
        <td>{word(ConflictField::Status)}</td>
        <td>{word(ConflictField::PaymentMethod)}</td>
        <td class="num">{lines}</td>
        <td>{c["notes"].as_str().unwrap_or_default().to_owned()}</td>
    }
}

async fn load_history(admin: Admin, id: i64) -> Result<SaleHistory, ApiError> {
    let path = format!("/api/v1/admin/sales/{id}/history/");
    admin::get(&admin.token(), &path).await
}

/// The detail's "Anular" form: open or not, the reason typed, the
/// server's refusal; `loads` counts the history loads asked for.
#[derive(Clone, Copy)]
struct Voiding {
    sale_id: i64,
    open: RwSignal<bool>,
    reason: RwSignal<String>,
    busy: RwSignal<bool>,
    refusal: RwSignal<Option<String>>,
    loads: RwSignal<u32>,
    /// The list, to show the voided sale there too.
    sales: RwSignal<Option<Vec<SaleView>>>,
}

impl Voiding {
    fn submit(self, admin: Admin) {
        let lang = admin.lang.get_untracked();
        let why = self.reason.get_untracked().trim().to_owned();
        if why.is_empty() {
            let required = text(lang, key!("admin.sales.void.reason_required"));
            self.refusal.set(Some(required.to_owned()));
            return;
        }
        self.refusal.set(None);
        self.busy.set(true);
        run(async move {
            match admin::void_sale(&admin.token(), self.sale_id, &why).await {
                Ok(sale) => {
                    self.open.set(false);
                    self.reason.set(String::new());
                    self.sales.update(|list| {
                        if let Some(row) = list
                            .as_mut()
                            .and_then(|l| l.iter_mut().find(|r| r.id == sale.id))
                        {
                            *row = sale;
                        }
                    });
                    self.loads.update(|n| *n += 1);
                }
                Err(e) => self.refusal.set(Some(crate::i18n::describe(lang, &e))),
            }
            self.busy.set(false);
        });
    }
}

#[component]
pub(super) fn SaleDetail(
    sale_id: i64,
    names: RwSignal<Names>,
    sales: RwSignal<Option<Vec<SaleView>>>,
) -> impl IntoView {
    let admin = use_admin();
    let lang = admin.lang;
    let history = RwSignal::new(None::<Result<SaleHistory, ApiError>>);
    let voiding = Voiding {
        sale_id,
        open: RwSignal::new(false),
        reason: RwSignal::new(String::new()),
        busy: RwSignal::new(false),
        refusal: RwSignal::new(None),
        loads: RwSignal::new(0),
        sales,
    };
    Effect::new(move |_| {
        voiding.loads.track();
        run(async move {
            let h = load_history(admin, sale_id).await;
            history.try_set(Some(h));
        });
    });
    let navigate = use_navigate();
    let close = move || navigate("/admin/ventas", Default::default());
    let close_too = close.clone();
    let body = move || {
        let l = lang.get();
        history.with(|h| match h {
            None => view! { <p class="muted">{text(l, key!("cargue.loading"))}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error">{crate::i18n::describe(l, e)}</p> }.into_any(),
            Some(Ok(h)) => names
                .with(|n| history_view(l, n, h, admin, voiding))
                .into_any(),
        })
    };
    view! {
        <div class="drawer-backdrop" on:click=move |_| close()></div>
        <aside class="card sale-detail drawer" data-testid="sale-detail" data-sale=sale_id.to_string()
            aria-label=move || text(lang.get(), key!("admin.sales.detail"))>
            <header class="drawer-head">
                <h2>{t(key!("admin.sales.detail"))}</h2>
                <button type="button" class="link close" data-testid="detail-close" aria-label="×" on:click=move |_| close_too()>"×"</button>
            </header>
            {body}
        </aside>
    }
}

fn history_view(
    l: Lang,
    names: &Names,
    h: &SaleHistory,
    admin: Admin,
    v: Voiding,
) -> impl IntoView {
    let s = &h.sale;
    let voided = is_void(s);
    let why = void_reason(&h.log);
    let device = s
        .device_id
        .as_deref()
        .map(|d| device_label(names, d))
        .unwrap_or_default();
    let fact = |k: Key, v: String| view! { <div><dt>{text(l, k)}</dt><dd>{v}</dd></div> };
    let items = s
        .items
        .iter()
        .map(|i| {
            view! {
                <tr>
                    <td>{i.product_name.clone()}</td>
                    <td class="num">{number(l, &i.quantity.to_string())}</td>
                    <td class="num">{money(l, &i.unit_price.to_string())}</td>
                    <td class="num">{money(l, &i.line_total)}</td>
                </tr>
            }
        })
        .collect_view();
    let versions = if h.versions.is_empty() {
        view! { <p class="muted small" data-testid="no-versions">{text(l, key!("admin.sales.no_versions"))}</p> }.into_any()
    } else {
        let rows = h
            .versions
            .iter()
            .map(|v| view! { <tr data-testid="version-row" data-version=v.version.to_string()>{version_cells(l, v)}</tr> })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="data inner">
                    <thead><tr>
                        <th class="num">"v"</th><th>{text(l, key!("admin.sales.superseded"))}</th><th>{text(l, key!("admin.col.state"))}</th>
                        <th>{text(l, key!("sale.payment"))}</th><th class="num">{text(l, key!("admin.sales.lines"))}</th><th>{text(l, key!("sale.notes"))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let log = h
        .log
        .iter()
        .map(|r| {
            let device = r.device_id.as_deref().map(|d| device_label(names, d)).unwrap_or_default();
            view! {
                <tr data-testid="history-log-row" data-action=r.action.clone() class:failed=!r.success>
                    <td>{when(&r.timestamp)}</td>
                    <td><span class="pill">{r.action.clone()}</span></td>
                    <td>{r.username.clone().unwrap_or_default()}</td>
                    <td>{device}</td>
                    <td>{if r.success { "✓" } else { "✗" }}</td>
                    <td class="detail">{r.error.clone().or_else(|| r.detail.as_ref().map(detail_text)).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let can_void = s.status == Some(SaleStatus::Confirmed);
    let void_form = can_void.then(|| {
        view! {
            <Show when=move || v.open.get()
                fallback=move || view! {
                    <button type="button" class="danger" data-testid="void-open" on:click=move |_| v.open.set(true)>{text(l, key!("admin.sales.void"))}</button>
                }>
                <form class="void-form" on:submit=move |ev| { ev.prevent_default(); v.submit(admin); }>
                    <label for="void-reason">{text(l, key!("admin.sales.void.reason"))}</label>
                    <textarea id="void-reason" data-testid="void-reason" rows="2" maxlength="500"
                        prop:value=move || v.reason.get() on:input=move |ev| v.reason.set(event_target_value(&ev))></textarea>
                    {move || v.refusal.get().map(|r| view! { <p class="error" role="alert" data-testid="void-error">{r}</p> })}
                    <div class="actions">
                        <button type="submit" class="danger" data-testid="void-confirm" disabled=move || v.busy.get()>{text(l, key!("admin.sales.void.confirm"))}</button>
                        <button type="button" class="secondary" on:click=move |_| v.open.set(false)>{text(l, key!("admin.sales.void.cancel"))}</button>
                    </div>
                </form>
            </Show>
        }
    });
    view! {
        <div class="detail-title">
            <strong class="sale-no" data-testid="detail-number">{number_of(s)}</strong>
            {voided.then(|| view! { <span class="void-stamp" data-testid="detail-voided">{text(l, key!("admin.sales.voided"))}</span> })}
            <span class=sync_tone(s.sync_status)>{text(l, sync_key(s.sync_status))}</span>
        </div>
        {why.map(|w| view! { <p class="void-reason" data-testid="detail-void-reason"><strong>{text(l, key!("admin.sales.void.reason"))}": "</strong>{w}</p> })}
        {s.error.clone().map(|e| view! { <p class="error">{e}</p> })}
        <dl class="facts">
            {fact(key!("admin.col.customer"), s.customer_name.clone().unwrap_or_default())}
            {fact(key!("admin.col.seller"), s.seller_code.clone().unwrap_or_default())}
            {fact(key!("admin.col.device"), device)}
            {fact(key!("admin.sales.col.date"), when(&s.created_at))}
            {fact(key!("sale.payment"), s.payment_method.map(|m| text(l, payment_key(m)).to_owned()).unwrap_or_default())}
            {fact(key!("admin.col.state"), s.status.map(|st| text(l, status_key(st)).to_owned()).unwrap_or_default())}
            {fact(key!("admin.sales.version"), s.version.to_string())}
            {fact(key!("admin.col.total"), s.total.as_deref().map(|a| money(l, a)).unwrap_or_default())}
        </dl>
        {s.notes.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="muted small">{n}</p> })}
        <table class="data inner detail-items">
            <thead><tr>
                <th>{text(l, key!("admin.sales.product"))}</th><th class="num">{text(l, key!("sale.quantity"))}</th>
                <th class="num">{text(l, key!("sale.unit_price"))}</th><th class="num">{text(l, key!("admin.col.total"))}</th>
            </tr></thead>
            <tbody>{items}</tbody>
        </table>
        {void_form}
        <h3>{text(l, key!("admin.sales.versions"))}</h3>
        {versions}
        <h3>{text(l, key!("admin.sales.log"))}</h3>
        <div class="table-scroll">
            <table class="data inner">
                <thead><tr>
                    <th>{text(l, key!("admin.col.when"))}</th><th>{text(l, key!("admin.col.action"))}</th><th>{text(l, key!("admin.col.user"))}</th>
                    <th>{text(l, key!("admin.col.device"))}</th><th>{text(l, key!("admin.col.ok"))}</th><th>{text(l, key!("admin.col.detail"))}</th>
                </tr></thead>
                <tbody>{log}</tbody>
            </table>
        </div>
    }
}
