//! The sales page's filter bar: the server's filters (seller, device,
//! customer, business days, sync status, payment method), "Filtrar" and
//! the CSV of the same filter.
use super::super::{run, seller_options, use_admin, Reloader};
use super::sync_key;
use crate::i18n::{payment_key, t};
use crate::services::admin;
use crate::services::cargue::Seller;
use crate::services::pwa;
use leptos::prelude::*;
use ruta_shared::catalog::Customer;
use ruta_shared::sale::{PaymentMethod, SyncStatus};

#[derive(Clone, Copy)]
pub(super) struct Filter {
    seller: RwSignal<String>,
    device: RwSignal<String>,
    customer: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    sync_status: RwSignal<String>,
    payment: RwSignal<String>,
}

impl Filter {
    pub(super) fn new() -> Self {
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

    pub(super) fn query(self, extra: &[(&str, &str)]) -> String {
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

#[component]
pub(super) fn FilterBar(
    filter: Filter,
    loader: Reloader,
    sellers: RwSignal<Vec<Seller>>,
    customers: RwSignal<Vec<Customer>>,
    devices: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let admin = use_admin();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        loader.reload();
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
    let bind = |s: RwSignal<String>| (move || s.get(), move |ev| s.set(event_target_value(&ev)));
    let (seller_value, seller_input) = bind(filter.seller);
    let (device_value, device_input) = bind(filter.device);
    let (customer_value, customer_input) = bind(filter.customer);
    let (from_value, from_input) = bind(filter.from);
    let (to_value, to_input) = bind(filter.to);
    let (sync_value, sync_input) = bind(filter.sync_status);
    let (pay_value, pay_input) = bind(filter.payment);
    let seller_options = move || seller_options(sellers.get());
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
    }
}
