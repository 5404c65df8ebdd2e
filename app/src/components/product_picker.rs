use crate::i18n::{money, t, use_lang};
use crate::services::sync::use_sync;
use leptos::prelude::*;
use ruta_shared::catalog::Product;

/// Search-as-you-type over the device's products; picking one hands it
/// to `on_pick` (a new line, or a return).
#[component]
pub fn ProductPicker(
    #[prop(into)] label: Signal<&'static str>,
    test_id: &'static str,
    on_pick: impl Fn(Product) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let found = move || {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        sync.catalog.with(|c| c.search_products(&q))
    };
    let input_id = format!("{test_id}-search");
    view! {
        <div class="picker">
            <label for=input_id.clone()>{move || label.get()}</label>
            <input id=input_id type="search" autocomplete="off" data-testid=test_id
                placeholder=t(key!("sale.product_search"))
                prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
            <ul class="pick-list">
                <For each=found key=|p| p.id let:p>
                    {
                        let on_pick = on_pick.clone();
                        let product = p.clone();
                        view! {
                            <li>
                                <button type="button" class="pick" on:click=move |_| {
                                    on_pick(product.clone());
                                    query.set(String::new());
                                }>
                                    <strong>{p.name.clone()}</strong>
                                    <span class="muted small">
                                        {p.sku.clone()}" · $"{move || money(lang.get(), &p.unit_price.to_string())}
                                    </span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </div>
    }
}
