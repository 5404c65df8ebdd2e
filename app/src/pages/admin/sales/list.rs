//! One row of the sales list.
use super::{device_label, is_void, number_of, sync_key, sync_tone, Names};
use crate::i18n::{money, payment_key, status_key, text, when, Lang};
use leptos::prelude::*;
use ruta_shared::sale::{SaleStatus, SaleView};

fn status_pill(lang: Lang, s: &SaleView) -> impl IntoView {
    match s.status {
        Some(SaleStatus::Cancelled) => view! { <span class="pill void" data-testid="sale-voided">{text(lang, key!("admin.sales.voided"))}</span> }.into_any(),
        Some(st) => view! { <span class="pill">{text(lang, status_key(st))}</span> }.into_any(),
        None => view! { <span class="pill">"—"</span> }.into_any(),
    }
}

pub(super) fn sale_row(
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
