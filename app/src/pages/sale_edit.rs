//! `/ventas/nueva` (and `?id=` to edit a draft or fix a refused sale): the
//! phone-sized sale form. Totals are the shared money math; the shared
//! validation runs before saving, with the contract's messages; saving
//! writes the outbox in one transaction and returns to "Mis ventas".
use crate::components::customer_picker::CustomerPicker;
use crate::components::line_editor::LineEditor;
use crate::components::product_picker::ProductPicker;
use crate::components::sync_bar::SyncBar;
use crate::components::top_bar::TopBar;
use crate::i18n::{input_error, money, t, use_lang, Lang};
use crate::pages::access::{Access, Forbidden};
use crate::pages::sales::use_seller_page;
use crate::services::outbox::OutboxRecord;
use crate::services::platform::now_ms;
use crate::services::sale_form::{LineForm, ReturnForm, SaleForm, Stamp};
use crate::services::session;
use crate::services::sync::SyncService;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ruta_shared::locale::NumberStyle;
use ruta_shared::money::{format_money, SaleTotals};
use ruta_shared::planner::LocalState;
use ruta_shared::sale::{PaymentMethod, SaleStatus};
use ruta_shared::validation::check_offline;

type Keyed<T> = RwSignal<Vec<(u32, RwSignal<T>)>>;

/// The form's fields, each its own signal so typing redraws one input.
#[derive(Clone, Copy)]
struct FormState {
    customer_id: RwSignal<Option<i64>>,
    customer_name: RwSignal<String>,
    lines: Keyed<LineForm>,
    returns: Keyed<ReturnForm>,
    payment: RwSignal<PaymentMethod>,
    draft: RwSignal<bool>,
    notes: RwSignal<String>,
    next_key: StoredValue<u32>,
    /// The page's owner: a line is added from a search result's click
    /// handler, whose own owner goes away with the result list.
    owner: StoredValue<Option<Owner>>,
}

impl FormState {
    fn new() -> Self {
        Self {
            customer_id: RwSignal::new(None),
            customer_name: RwSignal::new(String::new()),
            lines: RwSignal::new(Vec::new()),
            returns: RwSignal::new(Vec::new()),
            payment: RwSignal::new(PaymentMethod::Cash),
            draft: RwSignal::new(false),
            notes: RwSignal::new(String::new()),
            next_key: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
        }
    }

    fn signal<T: Send + Sync + 'static>(self, value: T) -> RwSignal<T> {
        match self.owner.get_value() {
            Some(owner) => owner.with(|| RwSignal::new(value)),
            None => RwSignal::new(value),
        }
    }

    fn key(self) -> u32 {
        self.next_key.update_value(|k| *k += 1);
        self.next_key.get_value()
    }

    fn add_line(self, line: LineForm) {
        let key = self.key();
        let line = self.signal(line);
        self.lines.update(|l| l.push((key, line)));
    }

    fn add_return(self, r: ReturnForm) {
        let key = self.key();
        let r = self.signal(r);
        self.returns.update(|l| l.push((key, r)));
    }

    fn fill(self, form: SaleForm) {
        self.customer_id.set(form.customer_id);
        self.customer_name.set(form.customer_name);
        self.lines.set(Vec::new());
        self.returns.set(Vec::new());
        form.lines.into_iter().for_each(|l| self.add_line(l));
        form.returns.into_iter().for_each(|r| self.add_return(r));
        self.payment.set(form.payment_method);
        self.draft.set(form.status == SaleStatus::Draft);
        self.notes.set(form.notes);
    }

    fn restyle(self, from: NumberStyle, to: NumberStyle) {
        self.lines.with_untracked(|lines| {
            for (_, line) in lines {
                line.update(|l| l.restyle(from, to));
            }
        });
        self.returns.with_untracked(|returns| {
            for (_, r) in returns {
                r.update(|r| r.restyle(from, to));
            }
        });
    }

    /// Tracked: the live totals follow every keystroke.
    fn form(self) -> SaleForm {
        SaleForm {
            customer_id: self.customer_id.get(),
            customer_name: self.customer_name.get(),
            lines: self.lines.get().iter().map(|(_, l)| l.get()).collect(),
            returns: self.returns.get().iter().map(|(_, r)| r.get()).collect(),
            payment_method: self.payment.get(),
            status: if self.draft.get() {
                SaleStatus::Draft
            } else {
                SaleStatus::Confirmed
            },
            notes: self.notes.get(),
        }
    }
}

fn new_local_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        uuid::Uuid::now_v7().to_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

fn now_iso() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// The stamp of a save: a new sale gets a new id; an edit keeps its id
/// and creation time and goes up on the version the server last agreed.
fn stamp_for(existing: Option<&OutboxRecord>) -> Stamp {
    match existing {
        Some(r) => Stamp {
            local_id: r.local_id.clone(),
            device_id: session::device_id(),
            created_at: match r.sale.created_at.as_str() {
                "" => now_iso(),
                at => at.to_owned(),
            },
            updated_at: now_iso(),
            version: match r.state {
                LocalState::Synced { version, .. } => version,
                _ => r.sale.version,
            },
        },
        None => Stamp {
            local_id: new_local_id(),
            device_id: session::device_id(),
            created_at: now_iso(),
            updated_at: now_iso(),
            version: 1,
        },
    }
}

async fn save(
    sync: SyncService,
    form: SaleForm,
    existing: Option<OutboxRecord>,
    lang: Lang,
) -> Result<(), String> {
    let stamp = stamp_for(existing.as_ref());
    let sale = form
        .to_wire(&stamp, lang.numbers())
        .map_err(|e| input_error(lang, &e))?;
    sync.catalog
        .with_untracked(|c| check_offline(&sale.to_value(), c))
        .map_err(|e| e.message)?;
    let record = OutboxRecord {
        local_id: stamp.local_id,
        sale,
        state: LocalState::Pending,
        customer_name: form.customer_name.clone(),
        total: format_money(form.totals(lang.numbers()).total),
        saved_at: now_ms(),
    };
    sync.save(record).await.map_err(|e| e.to_string())
}

#[component]
pub fn SaleEdit() -> impl IntoView {
    let (access, sync) = use_seller_page();
    let lang = use_lang();
    let f = FormState::new();
    let query = use_query_map();
    let editing = RwSignal::new(None::<OutboxRecord>);
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();

    // An edit: fill the form once the device's data is read.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(id) = query.with(|q| q.get("id")) else {
            return true;
        };
        if !sync.loaded.get() {
            return false;
        }
        let record = sync
            .records
            .with_untracked(|r| r.iter().find(|r| r.local_id == id).cloned());
        if let Some(record) = record.filter(OutboxRecord::editable) {
            let form = sync.catalog.with_untracked(|c| {
                SaleForm::from_wire(
                    &record.sale,
                    record.customer_name.clone(),
                    |id| c.product_name(id),
                    lang.get_untracked().numbers(),
                )
            });
            f.fill(form);
            editing.set(Some(record));
        }
        true
    });

    // Typed numbers follow a change of language, so `25,50` is not read
    // as English afterwards.
    Effect::new(move |previous: Option<Lang>| {
        let now = lang.get();
        if let Some(before) = previous.filter(|b| *b != now) {
            f.restyle(before.numbers(), now.numbers());
        }
        now
    });
    let totals = Memo::new(move |_| f.form().totals(lang.get().numbers()));
    let amount = move |pick: fn(&SaleTotals) -> String| {
        move || format!("${}", money(lang.get(), &pick(&totals.get())))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        let form = f.form();
        let existing = editing.get_untracked();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save(sync, form, existing, lang.get_untracked()).await {
                Ok(()) => navigate("/ventas", Default::default()),
                Err(message) => error.set(Some(message)),
            }
            saving.set(false);
        });
    };
    let title = move || {
        if editing.get().is_some() {
            t(key!("sale.edit_title"))()
        } else {
            t(key!("sale.title"))()
        }
    };
    view! {
        <main class="page narrow seller">
            <TopBar title=Signal::derive(title)><span></span></TopBar>
            {move || match access.get() {
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Allowed(_) => view! {
                    <SyncBar/>
                    <form class="card sale-form" on:submit=submit.clone() data-testid="sale-form">
                        <CustomerPicker customer_id=f.customer_id customer_name=f.customer_name/>
                        <ProductPicker label=t(key!("sale.add_product")) test_id="product-search"
                            on_pick=move |p| f.add_line(LineForm::of(&p, lang.get_untracked().numbers()))/>
                        <div class="lines">
                            <For each=move || f.lines.get() key=|(k, _)| *k let:entry>
                                <LineEditor line=entry.1 on_remove=move || f.lines.update(|l| l.retain(|(k, _)| *k != entry.0))/>
                            </For>
                        </div>
                        <details class="returns">
                            <summary>{t(key!("sale.returns"))}" ("{move || f.returns.with(|r| r.len())}")"</summary>
                            <ProductPicker label=t(key!("sale.add_return")) test_id="return-search"
                                on_pick=move |p| f.add_return(ReturnForm {
                                    product_id: p.id, product_name: p.name.clone(),
                                    quantity: "1".into(), reason: "vencido".into(),
                                })/>
                            <For each=move || f.returns.get() key=|(k, _)| *k let:entry>
                                <div class="line return-line">
                                    <strong>{move || entry.1.with(|r| r.product_name.clone())}</strong>
                                    <label>{t(key!("sale.quantity"))}
                                        <input inputmode="decimal" prop:value=move || entry.1.with(|r| r.quantity.clone())
                                            on:input=move |ev| entry.1.update(|r| r.quantity = event_target_value(&ev))/>
                                    </label>
                                    <label>{t(key!("sale.reason"))}
                                        <input prop:value=move || entry.1.with(|r| r.reason.clone())
                                            on:input=move |ev| entry.1.update(|r| r.reason = event_target_value(&ev))/>
                                    </label>
                                    <button type="button" class="link" on:click=move |_| f.returns.update(|l| l.retain(|(k, _)| *k != entry.0))>
                                        {t(key!("cargue.remove"))}
                                    </button>
                                </div>
                            </For>
                        </details>
                        <label for="payment">{t(key!("sale.payment"))}</label>
                        <select id="payment" data-testid="payment"
                            prop:value=move || f.payment.get().as_str()
                            on:change=move |ev| f.payment.set(PaymentMethod::parse(&event_target_value(&ev)).unwrap_or(PaymentMethod::Cash))>
                            <option value="cash">{t(key!("pay.cash"))}</option>
                            <option value="transfer">{t(key!("pay.transfer"))}</option>
                            <option value="card">{t(key!("pay.card"))}</option>
                            <option value="credit">{t(key!("pay.credit"))}</option>
                        </select>
                        <label for="notes">{t(key!("sale.notes"))}</label>
                        <textarea id="notes" rows="2" maxlength="2000" data-testid="notes"
                            prop:value=move || f.notes.get() on:input=move |ev| f.notes.set(event_target_value(&ev))></textarea>
                        <label class="check">
                            <input type="checkbox" data-testid="draft" prop:checked=move || f.draft.get()
                                on:change=move |ev| f.draft.set(event_target_checked(&ev))/>
                            {t(key!("sale.as_draft"))}
                        </label>
                        <dl class="totals" data-testid="totals">
                            <dt>{t(key!("sale.subtotal"))}</dt><dd>{amount(|x| format_money(x.subtotal))}</dd>
                            <dt>{t(key!("sale.discounts"))}</dt><dd>{amount(|x| format_money(x.discount))}</dd>
                            <dt>{t(key!("sale.taxes"))}</dt><dd>{amount(|x| format_money(x.tax))}</dd>
                            <dt class="grand">{t(key!("sale.total"))}</dt><dd class="grand" data-testid="sale-total">{amount(|x| format_money(x.total))}</dd>
                        </dl>
                        {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                        <button type="submit" class="primary" data-testid="save-sale" disabled=move || saving.get()>
                            {t(key!("sale.save"))}
                        </button>
                        <a href="/ventas" class="cancel">{t(key!("cargue.cancel"))}</a>
                    </form>
                }.into_any(),
            }}
        </main>
    }
}
