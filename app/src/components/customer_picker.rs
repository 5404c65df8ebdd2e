use crate::i18n::t;
use crate::services::catalog;
use crate::services::platform::now_ms;
use crate::services::sync::use_sync;
use leptos::prelude::*;
use ruta_shared::catalog::CustomerInput;

/// Search-as-you-type over the device's customers, or a new shop met on
/// the route (kept on the device until it reaches the server).
#[component]
pub fn CustomerPicker(
    customer_id: RwSignal<Option<i64>>,
    customer_name: RwSignal<String>,
) -> impl IntoView {
    let sync = use_sync();
    let query = RwSignal::new(String::new());
    let adding = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let new_business = RwSignal::new(String::new());
    let new_phone = RwSignal::new(String::new());
    let new_address = RwSignal::new(String::new());
    let new_error = RwSignal::new(None::<String>);
    let found = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        sync.catalog.with(|c| c.search_customers(&q))
    };
    let optional =
        |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty());
    let add = move |_| {
        let input = CustomerInput {
            name: new_name.get_untracked().trim().to_owned(),
            business_name: optional(new_business),
            phone: optional(new_phone),
            address: optional(new_address),
            route: None,
            active: None,
            version: None,
            edited_at: None,
        };
        if let Err(e) = input.validate() {
            new_error.set(Some(e.message));
            return;
        }
        leptos::task::spawn_local(async move {
            match catalog::add_customer(&input, now_ms()).await {
                Ok(c) => {
                    customer_id.set(Some(c.id));
                    customer_name.set(c.name.clone());
                    sync.catalog.update(|cat| cat.customers.push(c));
                    adding.set(false);
                    new_error.set(None);
                }
                Err(e) => new_error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div class="picker" data-testid="customer-picker">
            <Show when=move || customer_id.get().is_some()
                fallback=move || view! {
                    <label for="customer-search">{t(key!("sale.customer"))}</label>
                    <input id="customer-search" type="search" autocomplete="off" data-testid="customer-search"
                        placeholder=t(key!("sale.customer_search"))
                        prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                    <ul class="pick-list">
                        <For each=found key=|c| c.id let:c>
                            {
                                let (id, name) = (c.id, c.name.clone());
                                view! {
                                    <li>
                                        <button type="button" class="pick" on:click=move |_| {
                                            customer_id.set(Some(id));
                                            customer_name.set(name.clone());
                                            query.set(String::new());
                                        }>
                                            <strong>{c.name.clone()}</strong>
                                            <span class="muted small">{c.address.clone().unwrap_or_default()}</span>
                                        </button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <button type="button" class="link" data-testid="new-customer"
                        on:click=move |_| adding.update(|a| *a = !*a)>{t(key!("sale.new_customer"))}</button>
                    <Show when=move || adding.get()>
                        <div class="sub-form" data-testid="new-customer-form">
                            <label for="nc-name">{t(key!("customer.name"))}</label>
                            <input id="nc-name" prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev))/>
                            <label for="nc-business">{t(key!("customer.business_name"))}</label>
                            <input id="nc-business" prop:value=new_business on:input=move |ev| new_business.set(event_target_value(&ev))/>
                            <label for="nc-phone">{t(key!("customer.phone"))}</label>
                            <input id="nc-phone" type="tel" prop:value=new_phone on:input=move |ev| new_phone.set(event_target_value(&ev))/>
                            <label for="nc-address">{t(key!("customer.address"))}</label>
                            <input id="nc-address" prop:value=new_address on:input=move |ev| new_address.set(event_target_value(&ev))/>
                            {move || new_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            <button type="button" class="secondary" on:click=add>{t(key!("customer.save"))}</button>
                        </div>
                    </Show>
                }>
                <div class="chosen" data-testid="customer-chosen">
                    <strong>{move || customer_name.get()}</strong>
                    {move || customer_id.get().filter(|id| *id < 0).map(|_| view! {
                        <span class="chip pending">{t(key!("customer.local"))}</span>
                    })}
                    <button type="button" class="link" on:click=move |_| customer_id.set(None)>{t(key!("sale.change"))}</button>
                </div>
            </Show>
        </div>
    }
}
