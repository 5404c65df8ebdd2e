use crate::i18n::{money, t, use_lang};
use crate::services::sale_form::LineForm;
use leptos::prelude::*;
use ruta_shared::money::format_money;
use ruta_shared::sale::DiscountType;

/// One product line: quantity, price (prefilled from the catalog),
/// discount and tax, with its total computed as the server will.
#[component]
pub fn LineEditor(
    line: RwSignal<LineForm>,
    on_remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let edit = move |f: fn(&mut LineForm, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            line.update(|l| f(l, v));
        }
    };
    let total = move || {
        line.with(|l| l.amounts(lang.get().numbers()))
            .map(|a| format!("${}", money(lang.get(), &format_money(a.total))))
            .unwrap_or_else(|| "—".to_owned())
    };
    let name = move || line.with(|l| l.product_name.clone());
    view! {
        <div class="line" data-testid="sale-line">
            <div class="line-head">
                <strong>{name}</strong>
                <button type="button" class="link danger-text" on:click=move |_| on_remove()
                    aria-label=t(key!("cargue.remove"))>{t(key!("cargue.remove"))}</button>
            </div>
            <div class="line-grid">
                <label>{t(key!("sale.quantity"))}
                    <input inputmode="decimal" data-testid="line-quantity"
                        prop:value=move || line.with(|l| l.quantity.clone())
                        on:input=edit(|l, v| l.quantity = v)/>
                </label>
                <label>{t(key!("sale.unit_price"))}
                    <input inputmode="decimal" data-testid="line-price"
                        prop:value=move || line.with(|l| l.unit_price.clone())
                        on:input=edit(|l, v| l.unit_price = v)/>
                </label>
                <label>{t(key!("sale.discount"))}
                    <select data-testid="line-discount-type"
                        prop:value=move || line.with(|l| l.discount_type.as_str())
                        on:change=edit(|l, v| l.discount_type = DiscountType::parse(&v).unwrap_or(DiscountType::None))>
                        <option value="none">{t(key!("sale.discount_none"))}</option>
                        <option value="percentage">"%"</option>
                        <option value="fixed">"$"</option>
                    </select>
                </label>
                <label>{t(key!("sale.discount_value"))}
                    <input inputmode="decimal" data-testid="line-discount"
                        disabled=move || line.with(|l| l.discount_type == DiscountType::None)
                        prop:value=move || line.with(|l| l.discount_value.clone())
                        on:input=edit(|l, v| l.discount_value = v)/>
                </label>
                <label>{t(key!("sale.tax"))}
                    <input inputmode="decimal" data-testid="line-tax"
                        prop:value=move || line.with(|l| l.tax_percentage.clone())
                        on:input=edit(|l, v| l.tax_percentage = v)/>
                </label>
                <div class="line-total">
                    <span class="muted small">{t(key!("sale.line_total"))}</span>
                    <strong data-testid="line-total">{total}</strong>
                </div>
            </div>
        </div>
    }
}
