//! `/mi-dia` ("Mi día"): the seller's day as this phone knows it, without
//! signal — today's sales (voided ones apart), the money per payment
//! method, and per product what was loaded, sold and picked up, so the
//! seller sees what must go back to the depot. The figures are
//! `ruta_shared::day::phone_day`, the dispatcher's settlement rules run
//! on the phone's own sales.
use super::{business, cached_device_name, device_name, once_allowed, short_id, today, DaySale};
use crate::components::sync_bar::{clock, SyncBar};
use crate::components::top_bar::TopBar;
use crate::i18n::{money, number, payment_key, t, text, use_lang};
use crate::pages::access::{Access, Forbidden};
use crate::pages::sales::use_seller_page;
use crate::services::cargue::{self, cache, Sheet};
use leptos::prelude::*;
use leptos::task::spawn_local;
use ruta_shared::day::{loaded_lines, phone_day, DatedSale};
use ruta_shared::money::format_money;
use ruta_shared::sale::{PaymentMethod, SaleStatus};
use ruta_shared::settlement::DayFigures;

/// The day as shown: the shared figures and the sales they came from.
#[derive(Clone, Default, PartialEq)]
struct Day {
    date: String,
    figures: DayFigures,
    /// Today's sales, newest first (drafts included, marked).
    sales: Vec<DaySale>,
    has_sheet: bool,
    /// Product names as the sheet has them.
    names: Vec<(i64, String)>,
}

fn compute(sales: Vec<DaySale>, sheet: Option<&Sheet>, date: &str) -> Day {
    let sheet = sheet.filter(|s| s.date == date);
    let loaded = sheet
        .map(|s| loaded_lines(s.lines.iter().map(|l| (l.product_id, l.quantity.as_str()))))
        .unwrap_or_default();
    let today: Vec<DaySale> = sales
        .into_iter()
        .filter(|s| s.date().as_deref() == Some(date))
        .collect();
    let dated: Vec<DatedSale> = today
        .iter()
        .map(|s| DatedSale {
            date: date.to_owned(),
            content: s.content.clone(),
        })
        .collect();
    Day {
        date: date.to_owned(),
        figures: phone_day(date, &loaded, &dated),
        sales: today,
        has_sheet: sheet.is_some(),
        names: sheet
            .map(|s| {
                s.lines
                    .iter()
                    .map(|l| (l.product_id, l.product.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[component]
pub fn MyDay() -> impl IntoView {
    let (access, sync) = use_seller_page();
    let sheet = RwSignal::new(None::<Sheet>);
    let device = RwSignal::new(None::<String>);
    once_allowed(access, move |session| {
        device.set(cached_device_name());
        let Some(code) = session.user.seller_code.clone().map(|c| c.to_string()) else {
            return;
        };
        sheet.set(cache::load(&code));
        spawn_local(async move {
            device.set(device_name(&session.token).await);
            // Kept for the receipts, which may be opened without signal.
            let _ = business(&session.token).await;
            if let Ok(fresh) = cargue::fetch(&session.token, &code, None).await {
                cache::save(&fresh);
                sheet.set(Some(fresh));
            }
        });
    });
    let day = Memo::new(move |_| {
        let sales: Vec<DaySale> = sync
            .records
            .with(|r| r.iter().filter_map(DaySale::read).collect());
        sheet.with(|s| compute(sales, s.as_ref(), &today()))
    });
    view! {
        <main class="page day-page seller">
            <TopBar title=t(key!("day.title"))><span></span></TopBar>
            {move || match access.get() {
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Allowed(_) => view! {
                    <SyncBar/>
                    <DayView day=day device/>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn DayView(day: Memo<Day>, device: RwSignal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let sync = crate::services::sync::use_sync();
    let unsynced = sync.unsynced();
    let device_text = move || {
        device
            .get()
            .unwrap_or_else(|| text(lang.get(), key!("day.unnamed")).to_owned())
    };
    let amount = move |pick: fn(&DayFigures) -> String| {
        move || format!("${}", money(lang.get(), &day.with(|d| pick(&d.figures))))
    };
    let methods = [
        (PaymentMethod::Cash, "cash"),
        (PaymentMethod::Transfer, "transfer"),
        (PaymentMethod::Card, "card"),
        (PaymentMethod::Credit, "credit"),
    ];
    view! {
        <div class="day-grid">
            <section class="card day-head" data-testid="day-head">
                <p class="day-date"><strong data-testid="day-date">{move || day.with(|d| d.date.clone())}</strong></p>
                <p>{t(key!("day.device"))}": "<strong data-testid="device-name">{device_text}</strong></p>
                <div class="day-kpis">
                    <p class="kpi"><strong data-testid="day-count">{move || day.with(|d| d.figures.sales)}</strong>
                        " "{t(key!("day.count"))}</p>
                    <p class="kpi"><strong data-testid="day-voided">{move || day.with(|d| d.figures.voided)}</strong>
                        " "{t(key!("settle.voided"))}</p>
                    <p class="kpi" class:warn=move || { unsynced.get() > 0 }>
                        <strong data-testid="day-unsynced">{move || unsynced.get()}</strong>" "{t(key!("day.unsynced"))}
                    </p>
                </div>
            </section>
            <section class="card day-money">
                <h2>{t(key!("settle.payments"))}</h2>
                <dl class="totals" data-testid="day-payments">
                    {methods.into_iter().map(|(m, id)| view! {
                        <dt>{t(payment_key(m))}</dt>
                        <dd data-testid=format!("pay-{id}")>{amount(match m {
                            PaymentMethod::Cash => |f: &DayFigures| format_money(f.payments.cash),
                            PaymentMethod::Transfer => |f: &DayFigures| format_money(f.payments.transfer),
                            PaymentMethod::Card => |f: &DayFigures| format_money(f.payments.card),
                            PaymentMethod::Credit => |f: &DayFigures| format_money(f.payments.credit),
                        })}</dd>
                    }).collect_view()}
                    <dt class="grand">{t(key!("settle.total"))}</dt>
                    <dd class="grand" data-testid="pay-total">{amount(|f| format_money(f.payments.total()))}</dd>
                </dl>
            </section>
            <section class="card day-sales">
                <h2>{t(key!("day.sales"))}</h2>
                <Show when=move || day.with(|d| d.sales.is_empty())>
                    <p class="muted">{t(key!("day.no_sales"))}</p>
                </Show>
                <ul class="sale-list" data-testid="day-sales">
                    {move || day.with(|d| d.sales.iter().filter(|s| s.content.status != SaleStatus::Cancelled)
                        .cloned().map(|s| view! { <DaySaleRow sale=s/> }).collect_view())}
                </ul>
                <Show when=move || day.with(|d| d.figures.voided > 0)>
                    <h3>{t(key!("day.voided"))}</h3>
                    <ul class="sale-list voided" data-testid="day-voided-sales">
                        {move || day.with(|d| d.sales.iter().filter(|s| s.content.status == SaleStatus::Cancelled)
                            .cloned().map(|s| view! { <DaySaleRow sale=s/> }).collect_view())}
                    </ul>
                </Show>
            </section>
            <section class="card day-goods">
                <h2>{t(key!("day.goods"))}</h2>
                <Show when=move || !day.with(|d| d.has_sheet)>
                    <p class="muted small" data-testid="no-sheet">{t(key!("day.no_sheet"))}</p>
                </Show>
                <GoodsTable day/>
                <p class="muted small">{t(key!("day.goods_hint"))}</p>
            </section>
        </div>
        <nav class="home-links day-links">
            <a href="/ventas" rel="external">{t(key!("home.sales"))}</a>
            <a href="/mi-cargue" rel="external">{t(key!("home.my_cargue"))}</a>
            <a href="/" rel="external">{t(key!("notfound.back"))}</a>
        </nav>
    }
}

#[component]
fn DaySaleRow(sale: DaySale) -> impl IntoView {
    let lang = use_lang();
    let id = sale.record.local_id.clone();
    let number = sale.number();
    let chip = match &number {
        Some(n) => view! { <span class="chip synced" data-testid="sale-number">{n.clone()}</span> }.into_any(),
        None => view! { <span class="chip pending">{t(key!("sales.pending"))}" · "{short_id(&id).to_owned()}</span> }.into_any(),
    };
    let draft = sale.content.status == SaleStatus::Draft;
    let voided = sale.content.status == SaleStatus::Cancelled;
    let total = format_money(sale.content.totals().total);
    let href = format!("/recibo?sale={id}");
    let state = if number.is_some() {
        "synced"
    } else {
        "pending"
    };
    view! {
        <li class=format!("sale-row state-{state}") class:voided=voided data-testid="day-sale" data-local-id=id.clone()>
            <div class="sale-main">
                <strong class="sale-customer">{sale.record.customer_name.clone()}</strong>
                <span class="sale-total">"$"{move || money(lang.get(), &total)}</span>
            </div>
            <div class="sale-meta">
                {chip}
                {draft.then(|| view! { <span class="chip draft">{t(key!("sales.draft"))}</span> })}
                {voided.then(|| view! { <span class="chip error">{t(key!("receipt.voided"))}</span> })}
                <span class="muted small">{clock(sale.record.saved_at)}</span>
                <span class="muted small">{move || text(lang.get(), payment_key(sale.content.payment_method))}</span>
                <a class="receipt-link" href=href rel="external" data-testid="receipt-link">{t(key!("day.receipt"))}</a>
            </div>
        </li>
    }
}

#[component]
fn GoodsTable(day: Memo<Day>) -> impl IntoView {
    let lang = use_lang();
    let sync = crate::services::sync::use_sync();
    let name = move |id: i64| {
        day.with(|d| {
            d.names
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_else(|| sync.catalog.with(|c| c.product_name(id)))
    };
    let head = move |k| move || text(lang.get(), k);
    view! {
        <table class="day-goods-table" data-testid="day-goods">
            <thead><tr>
                <th>{t(key!("cargue.product"))}</th>
                <th class="num">{head(key!("settle.loaded"))}</th>
                <th class="num">{head(key!("settle.sold"))}</th>
                <th class="num">{head(key!("settle.returned"))}</th>
                <th class="num">{head(key!("settle.expected"))}</th>
            </tr></thead>
            <tbody>
                {move || day.with(|d| d.figures.products.clone()).into_iter().map(|p| {
                    let id = p.product_id;
                    let cell = move |v: String| move || number(lang.get(), &v);
                    view! {
                        <tr data-goods-product=id.to_string()>
                            <td>{move || name(id)}</td>
                            <td class="num">{cell(p.loaded.to_string())}</td>
                            <td class="num">{cell(p.sold.to_string())}</td>
                            <td class="num">{cell(p.returned.to_string())}</td>
                            <td class="num strong" data-testid=format!("left-{id}")>{cell(p.expected_left().to_string())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
