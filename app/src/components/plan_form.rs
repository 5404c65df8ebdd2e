//! The dispatcher's form for a sheet's planned lines (product, quantity).
use crate::i18n::{number_refusal, positive_refusal, t, text, use_lang, Lang};
use crate::services::cargue::{Line, PlannedLine, Product};
use leptos::prelude::*;
use ruta_shared::locale::{NumberInputError, NumberStyle};
use ruta_shared::money::{parse_decimal_text, Quantity};

#[derive(Debug, Clone, PartialEq)]
struct DraftRow {
    key: usize,
    product_id: i64,
    quantity: String,
}

/// `"12.500"` → `"12,5"` in Spanish: what the dispatcher would type.
fn editable(wire: &str, style: NumberStyle) -> String {
    parse_decimal_text(wire)
        .map(|v| style.format(v, 0))
        .unwrap_or_else(|_| wire.to_owned())
}

/// Why a typed quantity cannot be planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuantityRefusal {
    /// Not a number in the language's shape.
    Unreadable(NumberInputError),
    /// A number, but zero or less.
    NotPositive,
}

/// The quantity of what was typed, refused here when it cannot be planned
/// (the plan's lines are typed quantities, so nothing else reaches the wire).
fn wire_quantity(typed: &str, style: NumberStyle) -> Result<Quantity, QuantityRefusal> {
    let value = style.parse(typed).map_err(QuantityRefusal::Unreadable)?;
    Quantity::new(value).map_err(|_| QuantityRefusal::NotPositive)
}

fn quantity_refusal(lang: Lang, typed: &str, reason: QuantityRefusal) -> String {
    let label = text(lang, key!("cargue.quantity"));
    match reason {
        QuantityRefusal::Unreadable(reason) => number_refusal(lang, label, typed, reason),
        QuantityRefusal::NotPositive => positive_refusal(lang, label, typed),
    }
}

#[component]
pub fn PlanForm(
    #[prop(into)] products: Signal<Vec<Product>>,
    current: Vec<Line>,
    on_save: Callback<Vec<PlannedLine>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let style = lang.get_untracked().numbers();
    let refusal = RwSignal::new(None::<String>);
    let next_key = StoredValue::new(current.len());
    let rows = RwSignal::new(
        current
            .into_iter()
            .enumerate()
            .map(|(key, l)| DraftRow {
                key,
                product_id: l.product_id,
                quantity: editable(&l.quantity, style),
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
        let lang = lang.get_untracked();
        let lines = rows.with(|r| {
            r.iter()
                .map(|r| {
                    wire_quantity(&r.quantity, lang.numbers())
                        .map(|quantity| PlannedLine {
                            product_id: r.product_id,
                            quantity,
                        })
                        .map_err(|reason| quantity_refusal(lang, &r.quantity, reason))
                })
                .collect::<Result<Vec<_>, _>>()
        });
        match lines {
            Ok(lines) => {
                refusal.set(None);
                on_save.run(lines);
            }
            Err(message) => refusal.set(Some(message)),
        }
    };
    view! {
        <form class="plan-form card" on:submit=save data-testid="plan-form">
            <h2>{t(key!("cargue.plan"))}</h2>
            <For each=move || rows.get() key=|r| r.key let:row>
                <div class="plan-row">
                    <select aria-label=t(key!("cargue.product"))
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
                    <input class="qty" inputmode="decimal" aria-label=t(key!("cargue.quantity"))
                        value=row.quantity.clone()
                        on:input=move |ev| set_quantity(row.key, event_target_value(&ev))/>
                    <button type="button" class="link" on:click=move |_| remove(row.key)>
                        {t(key!("cargue.remove"))}
                    </button>
                </div>
            </For>
            {move || refusal.get().map(|m| view! { <p class="error-text" role="alert" data-testid="plan-error">{m}</p> })}
            <div class="actions">
                <button type="button" class="secondary" on:click=add>{t(key!("cargue.plan_add"))}</button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {t(key!("cargue.cancel"))}
                </button>
                <button type="submit" class="primary">{t(key!("cargue.plan_save"))}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ES: NumberStyle = NumberStyle::SPANISH;

    #[test]
    fn planned_quantities_are_edited_in_the_languages_style() {
        assert_eq!(editable("12.500", ES), "12,5");
        assert_eq!(editable("12.500", NumberStyle::ENGLISH), "12.5");
        assert_eq!(editable("40.000", ES), "40");
        assert_eq!(editable("1500", ES), "1.500");
    }

    #[test]
    fn typed_quantities_reach_the_wire_dot_decimal_or_are_refused() {
        let wire = |typed| wire_quantity(typed, ES).map(|q| q.to_string());
        assert_eq!(wire("12,5"), Ok("12.500".into()));
        assert_eq!(wire("1.500"), Ok("1500.000".into()));
        let unreadable = |reason| Err(QuantityRefusal::Unreadable(reason));
        assert_eq!(wire("12.5"), unreadable(NumberInputError::Ambiguous));
        assert_eq!(wire(" abc "), unreadable(NumberInputError::NotANumber));
        assert_eq!(wire(""), unreadable(NumberInputError::Empty));
        assert_eq!(wire("0"), Err(QuantityRefusal::NotPositive));
        assert_eq!(wire("-2"), Err(QuantityRefusal::NotPositive));
    }
}
