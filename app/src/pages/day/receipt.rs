//! `/recibo?sale=<local id>`: a sale's receipt from the phone's own copy —
//! the business (as last downloaded), the number or "pendiente" with the
//! local id, the customer, lines, discounts, tax, total, payment method,
//! returns, and ANULADA for a voided sale. "Compartir" sends it as a PNG,
//! "Imprimir" prints only the receipt on 58 mm, 80 mm or A4 paper. On the
//! seller's own confirmed sale of today, "Anular venta" queues the void
//! (the sale's next version: cancelled, with the reason) like any edit.
use super::share::{self, Paper, Shared};
use super::void::{voidable, VoidForm};
use super::{business, cached_business, once_allowed, short_id, DaySale};
use crate::components::sync_bar::SyncBar;
use crate::components::top_bar::TopBar;
use crate::i18n::{money, number, payment_key, t, text, use_lang, when, Lang};
use crate::pages::access::{Access, Forbidden};
use crate::pages::sales::use_seller_page;
use crate::services::catalog::LocalCatalog;
use crate::services::sync::SyncService;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use ruta_shared::money::format_money;
use ruta_shared::sale::{DiscountType, SaleStatus};
use ruta_shared::wire::business::BusinessProfile;

/// One row of the receipt, drawn the same way on the page and in the PNG.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Row {
    /// The business's name.
    Title(String),
    Center(String),
    /// A label and a value; `strong` for the total.
    Pair {
        label: String,
        value: String,
        strong: bool,
        test: &'static str,
    },
    /// A product's name, above its amounts.
    Item(String),
    Small(String),
    Rule,
    /// ANULADA, large.
    Stamp(String),
}

fn pair(label: impl Into<String>, value: impl Into<String>) -> Row {
    Row::Pair {
        label: label.into(),
        value: value.into(),
        strong: false,
        test: "",
    }
}

fn tested(label: impl Into<String>, value: impl Into<String>, test: &'static str) -> Row {
    Row::Pair {
        label: label.into(),
        value: value.into(),
        strong: false,
        test,
    }
}

/// The receipt's rows in `lang`.
pub(super) fn rows(
    sale: &DaySale,
    business: Option<&BusinessProfile>,
    catalog: &LocalCatalog,
    lang: Lang,
) -> Vec<Row> {
    let tx = |k| text(lang, k).to_owned();
    let cash = |wire: String| format!("${}", money(lang, &wire));
    let c = &sale.content;
    let mut out = Vec::new();
    match business.filter(|b| !b.name.is_empty()) {
        Some(b) => {
            out.push(Row::Title(b.name.clone()));
            if !b.tax_id.is_empty() {
                out.push(Row::Center(format!(
                    "{} {}",
                    tx(key!("receipt.tax_id")),
                    b.tax_id
                )));
            }
            for extra in [&b.address, &b.phone] {
                if !extra.is_empty() {
                    out.push(Row::Center(extra.clone()));
                }
            }
        }
        None => out.push(Row::Small(tx(key!("receipt.no_business")))),
    }
    out.push(Row::Rule);
    match sale.number() {
        Some(n) => out.push(tested(tx(key!("receipt.number")), n, "receipt-number")),
        None => {
            out.push(tested(
                tx(key!("receipt.number")),
                tx(key!("receipt.pending")),
                "receipt-number",
            ));
            out.push(Row::Small(sale.record.local_id.clone()));
        }
    }
    out.push(pair(tx(key!("receipt.date")), when(&sale.created_at)));
    out.push(tested(
        tx(key!("sale.customer")),
        sale.record.customer_name.clone(),
        "receipt-customer",
    ));
    if c.status == SaleStatus::Draft {
        out.push(Row::Stamp(tx(key!("receipt.draft"))));
    }
    out.push(Row::Rule);
    for item in &c.items {
        let a = item.amounts();
        out.push(Row::Item(catalog.product_name(item.product_id)));
        out.push(pair(
            format!(
                "{} × {}",
                number(lang, &item.quantity.to_string()),
                cash(item.unit_price.to_string())
            ),
            cash(format_money(a.subtotal)),
        ));
        if item.discount_type != DiscountType::None && !a.discount.is_zero() {
            out.push(pair(
                format!("  {}", tx(key!("sale.discount"))),
                format!("−{}", cash(format_money(a.discount))),
            ));
        }
        if !a.tax.is_zero() {
            out.push(pair(
                format!(
                    "  {} {} %",
                    tx(key!("sale.taxes")),
                    number(lang, &item.tax_percentage.to_string())
                ),
                cash(format_money(a.tax)),
            ));
        }
    }
    out.push(Row::Rule);
    let totals = c.totals();
    out.push(pair(
        tx(key!("sale.subtotal")),
        cash(format_money(totals.subtotal)),
    ));
    if !totals.discount.is_zero() {
        out.push(pair(
            tx(key!("sale.discounts")),
            format!("−{}", cash(format_money(totals.discount))),
        ));
    }
    out.push(pair(tx(key!("sale.taxes")), cash(format_money(totals.tax))));
    out.push(Row::Pair {
        label: tx(key!("sale.total")),
        value: cash(format_money(totals.total)),
        strong: true,
        test: "receipt-total",
    });
    out.push(tested(
        tx(key!("sale.payment")),
        tx(payment_key(c.payment_method)),
        "receipt-payment",
    ));
    if !c.returns.is_empty() {
        out.push(Row::Rule);
        out.push(Row::Item(tx(key!("sale.returns"))));
        for r in &c.returns {
            let what = match r.reason.trim() {
                "" => catalog.product_name(r.product_id),
                reason => format!("{} ({reason})", catalog.product_name(r.product_id)),
            };
            out.push(pair(what, number(lang, &r.quantity.to_string())));
        }
    }
    if c.status == SaleStatus::Cancelled {
        out.push(Row::Rule);
        out.push(Row::Stamp(tx(key!("receipt.voided"))));
        if let Some(reason) = &c.void_reason {
            out.push(Row::Center(format!(
                "{}: {reason}",
                tx(key!("sale.reason"))
            )));
        }
    }
    if let Some(foot) = business
        .map(|b| b.receipt_footer.trim())
        .filter(|f| !f.is_empty())
    {
        out.push(Row::Rule);
        out.push(Row::Center(foot.to_owned()));
    }
    out
}

#[component]
pub fn Receipt() -> impl IntoView {
    let (access, sync) = use_seller_page();
    let query = use_query_map();
    let profile = RwSignal::new(None::<BusinessProfile>);
    once_allowed(access, move |session| {
        profile.set(cached_business());
        spawn_local(async move {
            if let Some(p) = business(&session.token).await {
                profile.set(Some(p));
            }
        });
    });
    let sale = Memo::new(move |_| {
        let wanted = query.with(|q| q.get("sale")).unwrap_or_default();
        sync.records.with(|all| {
            all.iter()
                .filter_map(DaySale::read)
                .find(|s| s.record.local_id == wanted || s.number().is_some_and(|n| n == wanted))
        })
    });
    view! {
        <main class="page narrow receipt-page seller">
            <TopBar title=t(key!("receipt.title"))><span></span></TopBar>
            {move || match access.get() {
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Allowed(_) => view! {
                    <SyncBar/>
                    {move || match (sync.loaded.get(), sale.get()) {
                        (false, _) => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                        (true, None) => view! {
                            <p class="muted empty" data-testid="receipt-missing">{t(key!("receipt.not_found"))}</p>
                        }.into_any(),
                        (true, Some(s)) => view! { <ReceiptView sale=s profile sync/> }.into_any(),
                    }}
                    <nav class="home-links receipt-links">
                        <a href="/mi-dia" rel="external" data-testid="to-my-day">{t(key!("day.title"))}</a>
                        <a href="/ventas" rel="external">{t(key!("home.sales"))}</a>
                    </nav>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ReceiptView(
    sale: DaySale,
    profile: RwSignal<Option<BusinessProfile>>,
    sync: SyncService,
) -> impl IntoView {
    let lang = use_lang();
    let paper = RwSignal::new(Paper::Mm80);
    let notice = RwSignal::new(None::<String>);
    let shown = {
        let sale = sale.clone();
        Memo::new(move |_| {
            let business = profile.get();
            sync.catalog
                .with(|c| rows(&sale, business.as_ref(), c, lang.get()))
        })
    };
    let file_name = match sale.number() {
        Some(n) => format!("recibo-{n}.png"),
        None => format!("recibo-{}.png", short_id(&sale.record.local_id)),
    };
    let share_click = move |_| {
        let rows = shown.get_untracked();
        let name = file_name.clone();
        spawn_local(async move {
            match share::share_png(&rows, &name).await {
                Shared::Sent => notice.set(None),
                Shared::Downloaded => notice.set(Some(
                    text(lang.get_untracked(), key!("receipt.downloaded")).to_owned(),
                )),
                Shared::Failed => {}
            }
        });
    };
    let print_click = move |_| share::print(paper.get_untracked());
    let voided_now = sale.content.status == SaleStatus::Cancelled;
    let can_void = voidable(&sale);
    view! {
        <div class="receipt-tools">
            <label for="paper">{t(key!("receipt.paper"))}</label>
            <select id="paper" data-testid="paper"
                prop:value=move || paper.get().code()
                on:change=move |ev| paper.set(Paper::parse(&event_target_value(&ev)))>
                <option value="58">"58 mm"</option>
                <option value="80">"80 mm"</option>
                <option value="a4">"A4"</option>
            </select>
            <button type="button" class="primary" data-testid="share" on:click=share_click>{t(key!("receipt.share"))}</button>
            <button type="button" class="secondary" data-testid="print" on:click=print_click>{t(key!("receipt.print"))}</button>
        </div>
        {move || notice.get().map(|n| view! { <p class="muted small" role="status" data-testid="receipt-notice">{n}</p> })}
        <article class="receipt-sheet" class:voided=voided_now data-paper=move || paper.get().code()
            data-testid="receipt" data-status=sale.content.status.as_str()>
            {move || shown.get().into_iter().map(row_view).collect_view()}
        </article>
        {can_void.then(|| view! { <VoidForm sale=sale.clone() sync/> })}
    }
}

fn row_view(row: Row) -> AnyView {
    match row {
        Row::Title(t) => {
            view! { <h2 class="r-title" data-testid="receipt-business">{t}</h2> }.into_any()
        }
        Row::Center(t) => view! { <p class="r-center">{t}</p> }.into_any(),
        Row::Pair {
            label,
            value,
            strong,
            test,
        } => view! {
            <p class="r-pair" class:strong=strong>
                <span>{label}</span>
                <span data-testid=(!test.is_empty()).then_some(test)>{value}</span>
            </p>
        }
        .into_any(),
        Row::Item(t) => view! { <p class="r-item">{t}</p> }.into_any(),
        Row::Small(t) => view! { <p class="r-small">{t}</p> }.into_any(),
        Row::Rule => view! { <hr class="r-rule"/> }.into_any(),
        Row::Stamp(t) => {
            view! { <p class="r-stamp" data-testid="receipt-stamp">{t}</p> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::day::void::void_record;
    use crate::services::outbox::OutboxRecord;
    use ruta_shared::planner::LocalState;
    use ruta_shared::void::VoidError;
    use ruta_shared::wire::phone_sale::PhoneSale;
    use serde_json::json;

    fn sale(status: &str) -> DaySale {
        let record = OutboxRecord {
            local_id: "0193a1b2-0000-7000-8000-00000000abcd".into(),
            sale: PhoneSale::from_value(
                &json!({"local_id": "0193a1b2-0000-7000-8000-00000000abcd", "customer_id": 5,
                "status": status, "payment_method": "transfer", "device_id": "old",
                "created_at": "2026-12-07T14:00:00.000Z", "updated_at": "2026-12-07T14:00:00.000Z",
                "items": [{"product_id": 10, "quantity": "2", "unit_price": "1500",
                    "discount_type": "percentage", "discount_value": "10", "tax_percentage": "19"}],
                "returns": [{"product_id": 11, "quantity": "1", "reason": "vencido"}],
                "notes": null, "version": 1}),
            ),
            state: LocalState::Synced {
                sale_id: 3,
                number: Some("VTA-2026-00003".into()),
                version: 4,
            },
            customer_name: "Rosa Martínez".into(),
            total: "3213.00".into(),
            saved_at: 1.0,
        };
        DaySale::read(&record).unwrap()
    }

    #[test]
    fn the_receipt_shows_the_sale_as_the_shared_math_has_it() {
        let business = BusinessProfile {
            name: "Panadería La Espiga".into(),
            tax_id: "900123456-7".into(),
            ..Default::default()
        };
        let rows = rows(
            &sale("confirmed"),
            Some(&business),
            &LocalCatalog::default(),
            Lang::Es,
        );
        assert_eq!(rows[0], Row::Title("Panadería La Espiga".into()));
        assert_eq!(rows[1], Row::Center("NIT 900123456-7".into()));
        let value = |test: &str| {
            rows.iter().find_map(|r| match r {
                Row::Pair { value, test: t, .. } if *t == test => Some(value.clone()),
                _ => None,
            })
        };
        // 2 × 1500 = 3000, −10 % = 2700, +19 % = 513 → 3213.
        assert_eq!(value("receipt-total").as_deref(), Some("$3.213,00"));
        assert_eq!(value("receipt-number").as_deref(), Some("VTA-2026-00003"));
        assert_eq!(value("receipt-payment").as_deref(), Some("Transferencia"));
        assert!(!rows.iter().any(|r| matches!(r, Row::Stamp(_))));
        let voided = rows_of("cancelled");
        assert!(voided.contains(&Row::Stamp("ANULADA".into())));
        let unknown = super::rows(&sale("confirmed"), None, &LocalCatalog::default(), Lang::En);
        assert_eq!(
            unknown[0],
            Row::Small("Business details not downloaded yet".into())
        );
    }

    fn rows_of(status: &str) -> Vec<Row> {
        let mut s = sale(status);
        s.content.void_reason = Some("mal digitada".into());
        rows(&s, None, &LocalCatalog::default(), Lang::Es)
    }

    #[test]
    fn a_void_is_the_next_version_cancelled_with_its_reason() {
        let record = void_record(&sale("confirmed"), "  cliente no recibió ").unwrap();
        assert_eq!(record.state, LocalState::Pending);
        assert_eq!(record.sale.status, SaleStatus::Cancelled);
        assert_eq!(
            record.sale.void_reason.as_deref(),
            Some("cliente no recibió")
        );
        assert_eq!(record.sale.version, 4, "on the version the server agreed");
        assert_eq!(record.local_id, "0193a1b2-0000-7000-8000-00000000abcd");
        assert_eq!(
            void_record(&sale("confirmed"), " ").unwrap_err(),
            VoidError::NoReason
        );
        assert_eq!(
            void_record(&sale("draft"), "x").unwrap_err(),
            VoidError::NotConfirmed
        );
    }
}
