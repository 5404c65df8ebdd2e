//! `/admin/ventas`: every sale the server holds, newest first, with the
//! server's filters (seller, device, customer, business days, sync status,
//! payment method), cursor pages ("Más") and the CSV of the same filter.
//! `?sale=<id>` opens one sale's history: the sale as it stands, its
//! earlier versions and its log rows, with "Anular" for a confirmed sale.
//! Device names come from the overview's device list (the sale rows carry
//! only the id); a device without a name shows its short id.
use super::overview::short;
use super::{run, use_admin, Admin, AdminPage, Reloader, Section};
use crate::i18n::{money, number, payment_key, status_key, t, text, when, wire_word, Key, Lang};
use crate::services::admin::{self, LogRow, Overview, SaleHistory, SaleVersion};
use crate::services::api::ApiError;
use crate::services::cargue::{self, Seller};
use crate::services::pwa;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ruta_shared::catalog::Customer;
use ruta_shared::conflict::ConflictField;
use ruta_shared::sale::{PaymentMethod, SaleStatus, SaleView, SyncStatus};
use ruta_shared::wire::{CursorPage, Page};
use serde_json::Value;
use std::collections::HashMap;

#[component]
pub fn OfficeSales() -> impl IntoView {
    view! { <AdminPage section=Section::Sales><SalesBody/></AdminPage> }
}

const PAGE_SIZE: &str = "50";

fn sync_key(s: SyncStatus) -> Key {
    match s {
        SyncStatus::Pending => key!("admin.sales.sync.pending"),
        SyncStatus::Synced => key!("admin.sales.sync.synced"),
        SyncStatus::Error => key!("admin.sales.sync.error"),
        SyncStatus::Conflict => key!("admin.sales.sync.conflict"),
    }
}

fn sync_tone(s: SyncStatus) -> &'static str {
    match s {
        SyncStatus::Pending => "pill pending",
        SyncStatus::Synced => "pill ok",
        SyncStatus::Error | SyncStatus::Conflict => "pill failed",
    }
}

/// The names admins gave devices, by device id.
type Names = HashMap<String, String>;

fn names_of(o: &Overview) -> Names {
    o.devices
        .iter()
        .filter_map(|d| {
            d.name
                .as_ref()
                .filter(|n| !n.trim().is_empty())
                .map(|n| (d.device_id.clone(), n.clone()))
        })
        .collect()
}

/// A device as people read it: its name, else its short id.
fn device_label(names: &Names, device_id: &str) -> String {
    names
        .get(device_id)
        .cloned()
        .unwrap_or_else(|| short(device_id))
}

#[derive(Clone, Copy)]
struct Filter {
    seller: RwSignal<String>,
    device: RwSignal<String>,
    customer: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    sync_status: RwSignal<String>,
    payment: RwSignal<String>,
}

impl Filter {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            seller: s(),
            device: s(),
            customer: s(),
            from: s(),
            to: s(),
            sync_status: s(),
            payment: s(),
        }
    }

    fn query(self, extra: &[(&str, &str)]) -> String {
        let v = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let values = [
            ("seller", v(self.seller)),
            ("device_id", v(self.device)),
            ("customer", v(self.customer)),
            ("from", v(self.from)),
            ("to", v(self.to)),
            ("sync_status", v(self.sync_status)),
            ("payment_method", v(self.payment)),
        ];
        let mut pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(extra);
        admin::query(&pairs)
    }

    fn track(self) {
        for s in [
            self.seller,
            self.device,
            self.customer,
            self.from,
            self.to,
            self.sync_status,
            self.payment,
        ] {
            s.track();
        }
    }
}

/// The sale's number, or its server id while it has none.
fn number_of(s: &SaleView) -> String {
    s.number.clone().unwrap_or_else(|| format!("#{}", s.id))
}

fn is_void(s: &SaleView) -> bool {
    s.status == Some(SaleStatus::Cancelled)
}

#[component]
fn SalesBody() -> impl IntoView {
    let admin = use_admin();
    let lang = admin.lang;
    let query = use_query_map();
    let filter = Filter::new();
    let sales = RwSignal::new(None::<Vec<SaleView>>);
    let next = RwSignal::new(None::<String>);
    let more_busy = RwSignal::new(false);
    let names = RwSignal::new(Names::new());
    let devices = RwSignal::new(Vec::<(String, String)>::new());
    let sellers = RwSignal::new(Vec::<Seller>::new());
    let customers = RwSignal::new(Vec::<Customer>::new());
    let loader = Reloader::new(move || async move {
        let path = format!(
            "/api/v1/admin/sales/{}",
            filter.query(&[("limit", PAGE_SIZE)])
        );
        match admin::get::<CursorPage<SaleView>>(&admin.token(), &path).await {
            Ok(p) => {
                admin.notice.set(None);
                next.set(p.next_cursor);
                sales.set(Some(p.results));
            }
            Err(e) => admin.fail(&e),
        }
    });
    // Once in the browser: the list, and what the filters offer.
    Effect::new(move |_| {
        loader.reload();
        run(async move {
            let token = admin.token();
            if let Ok(list) = cargue::sellers(&token).await {
                sellers.set(list);
            }
            let path = "/api/v1/customers/?limit=200";
            if let Ok(p) = admin::get::<Page<Customer>>(&token, path).await {
                customers.set(p.results);
            }
            if let Ok(o) = admin::overview(&token).await {
                names.set(names_of(&o));
                devices.set(
                    o.devices
                        .iter()
                        .map(|d| {
                            (
                                d.device_id.clone(),
                                device_label(&names_of(&o), &d.device_id),
                            )
                        })
                        .collect(),
                );
            }
        });
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        loader.reload();
    };
    let more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        more_busy.set(true);
        run(async move {
            let path = format!(
                "/api/v1/admin/sales/{}",
                filter.query(&[("limit", PAGE_SIZE), ("cursor", cursor.as_str())])
            );
            match admin::get::<CursorPage<SaleView>>(&admin.token(), &path).await {
                Ok(p) => {
                    next.set(p.next_cursor);
                    sales.update(|s| s.get_or_insert_with(Vec::new).extend(p.results));
                }
                Err(e) => admin.fail(&e),
            }
            more_busy.set(false);
        });
    };
    let csv_href = move || {
        filter.track();
        format!("/api/v1/admin/sales/export.csv{}", filter.query(&[]))
    };
    // The endpoint wants the token in a header: fetched, then saved.
    let export = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        run(async move {
            let path = format!("/api/v1/admin/sales/export.csv{}", filter.query(&[]));
            match admin::export_csv(&admin.token(), &path).await {
                Ok(csv) => pwa::download_as("ruta-ventas.csv", "text/csv", &csv),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let selected = move || {
        query
            .with(|q| q.get("sale"))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let navigate = use_navigate();
    let open = move |id: i64| navigate(&format!("/admin/ventas?sale={id}"), Default::default());
    let rows = move || {
        let l = lang.get();
        let open = open.clone();
        sales.with(|list| {
            list.as_ref().map(|list| {
                if list.is_empty() {
                    return view! { <tr><td colspan="9" class="empty muted" data-testid="sales-empty">{text(l, key!("admin.sales.none"))}</td></tr> }.into_any();
                }
                names.with(|n| {
                    list.iter()
                        .map(|s| sale_row(l, n, s, selected() == Some(s.id), open.clone()))
                        .collect_view()
                        .into_any()
                })
            })
        })
    };
    let count = move || {
        sales.with(|s| {
            s.as_ref().map(|s| {
                let more = if next.with(Option::is_some) { "+" } else { "" };
                format!(
                    "{}{more} {}",
                    s.len(),
                    text(lang.get(), key!("admin.sales.count"))
                )
            })
        })
    };
    let bind = |s: RwSignal<String>| (move || s.get(), move |ev| s.set(event_target_value(&ev)));
    let (seller_value, seller_input) = bind(filter.seller);
    let (device_value, device_input) = bind(filter.device);
    let (customer_value, customer_input) = bind(filter.customer);
    let (from_value, from_input) = bind(filter.from);
    let (to_value, to_input) = bind(filter.to);
    let (sync_value, sync_input) = bind(filter.sync_status);
    let (pay_value, pay_input) = bind(filter.payment);
    let seller_options = move || {
        sellers
            .get()
            .into_iter()
            .map(|s| {
                let code = s.seller_code.to_string();
                view! { <option value=code.clone()>{format!("{code} · {}", s.username)}</option> }
            })
            .collect_view()
    };
    let customer_options = move || {
        customers
            .get()
            .into_iter()
            .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
            .collect_view()
    };
    let device_options = move || {
        devices
            .get()
            .into_iter()
            .map(|(id, label)| view! { <option value=id>{label}</option> })
            .collect_view()
    };
    let sync_options = SyncStatus::ALL
        .iter()
        .map(|s| view! { <option value=s.as_str()>{t(sync_key(*s))}</option> })
        .collect_view();
    let pay_options = PaymentMethod::ALL
        .iter()
        .map(|m| view! { <option value=m.as_str()>{t(payment_key(*m))}</option> })
        .collect_view();
    view! {
        <form class="filters toolbar sales-filters" on:submit=apply>
            <select data-testid="sales-seller" aria-label=t(key!("admin.col.seller")) prop:value=seller_value on:change=seller_input>
                <option value="">{t(key!("report.all_sellers"))}</option>
                {seller_options}
            </select>
            <input list="sales-devices" data-testid="sales-device" aria-label=t(key!("admin.col.device"))
                placeholder=t(key!("admin.col.device")) prop:value=device_value on:input=device_input/>
            <datalist id="sales-devices">{device_options}</datalist>
            <select data-testid="sales-customer" aria-label=t(key!("admin.col.customer")) prop:value=customer_value on:change=customer_input>
                <option value="">{t(key!("admin.sales.all_customers"))}</option>
                {customer_options}
            </select>
            <label class="inline">{t(key!("admin.log.since"))}<input type="date" data-testid="sales-from" prop:value=from_value on:input=from_input/></label>
            <label class="inline">{t(key!("admin.log.until"))}<input type="date" data-testid="sales-to" prop:value=to_value on:input=to_input/></label>
            <select data-testid="sales-sync" aria-label=t(key!("admin.sales.col.sync")) prop:value=sync_value on:change=sync_input>
                <option value="">{t(key!("admin.sales.any_sync"))}</option>
                {sync_options}
            </select>
            <select data-testid="sales-payment" aria-label=t(key!("sale.payment")) prop:value=pay_value on:change=pay_input>
                <option value="">{t(key!("admin.sales.any_payment"))}</option>
                {pay_options}
            </select>
            <button type="submit" class="primary" data-testid="sales-apply">{t(key!("admin.filter"))}</button>
            <a class="button secondary-link" href=csv_href data-testid="sales-csv" on:click=export>{t(key!("admin.log.export"))}</a>
        </form>
        {move || selected().map(|sale_id| view! { <SaleDetail sale_id names sales/> })}
        <section class="card">
            <p class="muted small sales-count" data-testid="sales-count">{count}</p>
            <div class="table-scroll">
                <table class="data sales-table" data-testid="sales">
                    <thead><tr>
                        <th>{t(key!("admin.col.sale"))}</th><th>{t(key!("admin.sales.col.date"))}</th>
                        <th>{t(key!("admin.col.seller"))}</th><th>{t(key!("admin.col.device"))}</th>
                        <th>{t(key!("admin.col.customer"))}</th><th>{t(key!("sale.payment"))}</th>
                        <th>{t(key!("admin.col.state"))}</th><th>{t(key!("admin.sales.col.sync"))}</th>
                        <th class="num">{t(key!("admin.col.total"))}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager">
                <button type="button" class="secondary" data-testid="sales-more"
                    disabled=move || next.with(Option::is_none) || more_busy.get() on:click=more>
                    {t(key!("admin.sales.more"))}
                </button>
            </div>
        </section>
    }
}

fn status_pill(lang: Lang, s: &SaleView) -> impl IntoView {
    match s.status {
        Some(SaleStatus::Cancelled) => view! { <span class="pill void" data-testid="sale-voided">{text(lang, key!("admin.sales.voided"))}</span> }.into_any(),
        Some(st) => view! { <span class="pill">{text(lang, status_key(st))}</span> }.into_any(),
        None => view! { <span class="pill">"—"</span> }.into_any(),
    }
}

fn sale_row(
    lang: Lang,
    names: &Names,
    s: &SaleView,
    current: bool,
    open: impl Fn(i64) + Clone + 'static,
) -> impl IntoView {
    let id = s.id;
    let device = s.device_id.as_deref().map(|d| device_label(names, d));
    let pay = s
        .payment_method
        .map(|m| text(lang, payment_key(m)))
        .unwrap_or("—");
    let status = s
        .status
        .map(|st| st.as_str())
        .unwrap_or_default()
        .to_owned();
    view! {
        <tr data-testid="sale-row" data-sale=id.to_string() data-status=status data-sync=s.sync_status.as_str()
            class="clickable" class:current=current class:voided=is_void(s) on:click=move |_| open(id)>
            <td data-label=text(lang, key!("admin.col.sale"))><button type="button" class="link sale-number">{number_of(s)}</button></td>
            <td data-label=text(lang, key!("admin.sales.col.date")) class="when">{day_and_time(&s.created_at)}</td>
            <td data-label=text(lang, key!("admin.col.seller"))>{s.seller_code.clone().unwrap_or_default()}</td>
            <td data-label=text(lang, key!("admin.col.device")) data-testid="sale-device" title=s.device_id.clone().unwrap_or_default()>{device.unwrap_or_default()}</td>
            <td data-label=text(lang, key!("admin.col.customer")) class="customer">{s.customer_name.clone().unwrap_or_default()}</td>
            <td data-label=text(lang, key!("sale.payment"))>{pay}</td>
            <td data-label=text(lang, key!("admin.col.state"))>{status_pill(lang, s)}</td>
            <td data-label=text(lang, key!("admin.sales.col.sync"))><span class=sync_tone(s.sync_status)>{text(lang, sync_key(s.sync_status))}</span></td>
            <td data-label=text(lang, key!("admin.col.total")) class="num total">{s.total.as_deref().map(|a| money(lang, a)).unwrap_or_default()}</td>
        </tr>
    }
}

/// A time as two lines, the day over the hour, so the column stays narrow.
fn day_and_time(wire: &str) -> impl IntoView {
    let shown = when(wire);
    let (day, time) = shown.split_once(' ').unwrap_or((shown.as_str(), ""));
    view! { <span class="day">{day.to_owned()}</span>" "<span class="time muted">{time.to_owned()}</span> }
}

/// The reason given when the sale was voided, from its `void_sale` row.
fn void_reason(log: &[LogRow]) -> Option<String> {
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
fn SaleDetail(
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn log_row(action: &str, detail: Option<Value>) -> LogRow {
        serde_json::from_value(json!({
            "id": 1, "chain": "system", "action": action, "user_id": 1, "username": "admin",
            "seller_code": null, "device_id": null, "ip": null, "user_agent": null,
            "sale_id": 7, "local_id": null, "success": true, "error": null,
            "timestamp": "2026-12-07T10:00:00.000Z", "prev_hash": "", "hash": "",
            "detail": detail
        }))
        .unwrap()
    }

    #[test]
    fn the_void_reason_comes_from_the_void_row() {
        let log = [
            log_row("create_sale", None),
            log_row(
                "void_sale",
                Some(json!({"reason": "Cliente devolvió", "version": 2})),
            ),
        ];
        assert_eq!(void_reason(&log).as_deref(), Some("Cliente devolvió"));
        assert_eq!(void_reason(&log[..1]), None);
    }

    #[test]
    fn a_device_shows_its_name_else_its_short_id() {
        let names: Names = [("tab-1".to_owned(), "Camión 3".to_owned())].into();
        assert_eq!(device_label(&names, "tab-1"), "Camión 3");
        assert_eq!(
            device_label(&names, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
            "0193a1b2-c3d4…"
        );
    }
}
