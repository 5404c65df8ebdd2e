//! The dispatcher's form for a sheet's planned lines (product, quantity).
use crate::i18n::t;
use crate::services::cargue::{Line, PlannedLine, Product};
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct DraftRow {
    key: usize,
    product_id: i64,
    quantity: String,
}

/// `"12.500"` → `"12.5"`: what the dispatcher would type.
fn editable(wire: &str) -> String {
    match wire.split_once('.') {
        Some((int, frac)) if !frac.trim_end_matches('0').is_empty() => {
            format!("{int}.{}", frac.trim_end_matches('0'))
        }
        Some((int, _)) => int.to_owned(),
        None => wire.to_owned(),
    }
}

#[component]
pub fn PlanForm(
    #[prop(into)] products: Signal<Vec<Product>>,
    current: Vec<Line>,
    on_save: Callback<Vec<PlannedLine>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let next_key = StoredValue::new(current.len());
    let rows = RwSignal::new(
        current
            .into_iter()
            .enumerate()
            .map(|(key, l)| DraftRow {
                key,
                product_id: l.product_id,
                quantity: editable(&l.quantity),
            })
            .collect::<Vec<_>>(),
    );
    let add = move |_| {
        let used: Vec<i64> = rows.with(|r| r.iter().map(|r| r.product_id).collect());
        let Some(product) = products.with(|p| p.iter().find(|p| !used.contains(&p.id)).cloned())
        else {
            return;
        };
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|r| {
            r.push(DraftRow {
                key,
                product_id: product.id,
                quantity: "1".into(),
            })
        });
    };
    let set_product = move |key: usize, id: i64| {
        rows.update(|r| {
            r.iter_mut()
                .filter(|r| r.key == key)
                .for_each(|r| r.product_id = id)
        })
    };
    let set_quantity = move |key: usize, q: String| {
        rows.update(|r| {
            r.iter_mut()
                .filter(|r| r.key == key)
                .for_each(|r| r.quantity = q.clone())
        })
    };
    let remove = move |key: usize| rows.update(|r| r.retain(|r| r.key != key));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines = rows.with(|r| {
            r.iter()
                .map(|r| PlannedLine {
                    product_id: r.product_id,
                    quantity: r.quantity.trim().to_owned(),
                })
                .collect()
        });
        on_save.run(lines);
    };
    view! {
        <form class="plan-form card" on:submit=save data-testid="plan-form">
            <h2>{t("cargue.plan")}</h2>
            <For each=move || rows.get() key=|r| r.key let:row>
                <div class="plan-row">
                    <select aria-label=t("cargue.product")
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse() {
                                set_product(row.key, id)
                            }
                        }>
                        {move || products.get().into_iter().map(|p| {
                            let selected = p.id == row.product_id;
                            view! { <option value=p.id.to_string() selected=selected>{p.name}</option> }
                        }).collect_view()}
                    </select>
                    <input class="qty" inputmode="decimal" aria-label=t("cargue.quantity")
                        value=row.quantity.clone()
                        on:input=move |ev| set_quantity(row.key, event_target_value(&ev))/>
                    <button type="button" class="link" on:click=move |_| remove(row.key)>
                        {t("cargue.remove")}
                    </button>
                </div>
            </For>
            <div class="actions">
                <button type="button" class="secondary" on:click=add>{t("cargue.plan_add")}</button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {t("cargue.cancel")}
                </button>
                <button type="submit" class="primary">{t("cargue.plan_save")}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn planned_quantities_are_edited_without_trailing_zeros() {
        assert_eq!(super::editable("12.500"), "12.5");
        assert_eq!(super::editable("40.000"), "40");
        assert_eq!(super::editable("40"), "40");
    }
}
