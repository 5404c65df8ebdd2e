//! `/admin/catalogo`: customers and products — search, create, edit,
//! deactivate — and CSV import with the server's per-row report. One
//! table and one form serve both kinds, driven by their field lists.
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, Key};
use crate::services::admin::{self, ImportReport, Page};
use crate::services::api::{self, Method};
use crate::services::files;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

#[component]
pub fn Catalog() -> impl IntoView {
    view! { <AdminPage section=Section::Catalog><CatalogBody/></AdminPage> }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Customers,
    Products,
}

const CUSTOMER_FIELDS: &[(&str, Key, bool)] = &[
    ("name", key!("admin.field.name"), true),
    ("business_name", key!("admin.field.business_name"), false),
    ("phone", key!("admin.field.phone"), false),
    ("address", key!("admin.field.address"), false),
    ("route", key!("admin.field.route"), false),
];

const PRODUCT_FIELDS: &[(&str, Key, bool)] = &[
    ("sku", key!("admin.field.sku"), true),
    ("name", key!("admin.field.name"), true),
    ("unit_price", key!("admin.field.unit_price"), true),
    ("tax_percentage", key!("admin.field.tax"), false),
];

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Customers => "/api/v1/customers/",
            Kind::Products => "/api/v1/products/",
        }
    }
    /// (wire field, label key, required)
    fn fields(self) -> &'static [(&'static str, Key, bool)] {
        match self {
            Kind::Customers => CUSTOMER_FIELDS,
            Kind::Products => PRODUCT_FIELDS,
        }
    }
    fn import_hint(self) -> &'static str {
        match self {
            Kind::Customers => "name,business_name,phone,address,route",
            Kind::Products => "sku,name,unit_price,tax_percentage",
        }
    }
}

fn cell(row: &Value, field: &str) -> String {
    match &row[field] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[component]
fn CatalogBody() -> impl IntoView {
    let admin = use_admin();
    let kind = RwSignal::new(Kind::Customers);
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(None::<Page<Value>>);
    // The row being edited (`Some(Value::Null)` for a new one).
    let editing = RwSignal::new(None::<Value>);
    let loader = Reloader::new(move || async move {
        let path = format!(
            "{}{}",
            kind.get_untracked().path(),
            admin::query(&[("q", search.get_untracked().trim()), ("limit", "200")])
        );
        match admin::get(&admin.token(), &path).await {
            Ok(p) => page.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let switch = move |k: Kind| {
        move |_| {
            kind.set(k);
            editing.set(None);
            page.set(None);
            loader.reload();
        }
    };
    let deactivate = move |id: i64| {
        run(async move {
            let path = format!("{}{id}/", kind.get_untracked().path());
            match api::call_no_content(Method::Delete, &path, &admin.token(), None).await {
                Ok(()) => loader.reload(),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let rows = move || {
        let k = kind.get();
        page.with(|p| {
            p.as_ref().map(|p| {
                p.results
                    .iter()
                    .map(|row| {
                        let id = row["id"].as_i64().unwrap_or(0);
                        let active = row["active"].as_bool().unwrap_or(true);
                        let cells = k
                            .fields()
                            .iter()
                            .map(|(f, _, _)| view! { <td>{cell(row, f)}</td> })
                            .collect_view();
                        let for_edit = row.clone();
                        view! {
                            <tr data-testid="catalog-row" data-name=cell(row, "name") class:inactive=!active>
                                {cells}
                                <td>{if active { "✓" } else { "—" }}</td>
                                <td class="row-actions">
                                    <button type="button" class="secondary small" data-testid="edit"
                                        on:click=move |_| editing.set(Some(for_edit.clone()))>{t(key!("admin.edit"))}</button>
                                    {active.then(|| view! {
                                        <button type="button" class="danger small" data-testid="deactivate" on:click=move |_| deactivate(id)>{t(key!("admin.deactivate"))}</button>
                                    })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let head = move || {
        kind.get()
            .fields()
            .iter()
            .map(|(_, label, _)| view! { <th>{t(*label)}</th> })
            .collect_view()
    };
    view! {
        <div class="tabs" role="tablist">
            <button type="button" class="tab" role="tab" data-testid="tab-customers" aria-selected=move || (kind.get() == Kind::Customers).to_string() on:click=switch(Kind::Customers)>{t(key!("admin.catalog.customers"))}</button>
            <button type="button" class="tab" role="tab" data-testid="tab-products" aria-selected=move || (kind.get() == Kind::Products).to_string() on:click=switch(Kind::Products)>{t(key!("admin.catalog.products"))}</button>
        </div>
        <div class="toolbar">
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); loader.reload(); }>
                <input type="search" placeholder=t(key!("admin.search")) data-testid="catalog-search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                <button type="submit" class="secondary">{t(key!("admin.filter"))}</button>
            </form>
            <button type="button" class="primary" data-testid="catalog-new" on:click=move |_| editing.set(Some(Value::Null))>{t(key!("admin.create"))}</button>
        </div>
        {move || editing.get().map(|row| view! { <Editor kind=kind.get_untracked() row editing on_saved=move || loader.reload()/> })}
        <div class="two-col wide-left">
            <section class="card">
                <p class="muted">{move || page.with(|p| p.as_ref().map(|p| format!("{} {}", p.count, text(admin.lang.get(), key!("admin.catalog.rows")))))}</p>
                <table class="data">
                    <thead><tr>{head}<th>{t(key!("admin.catalog.active"))}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
            {move || { let k = kind.get(); view! { <Import kind=k on_done=move || loader.reload()/> } }}
        </div>
    }
}

#[component]
fn Editor(
    kind: Kind,
    row: Value,
    editing: RwSignal<Option<Value>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let admin = use_admin();
    let id = row["id"].as_i64();
    let version = row["version"].as_i64();
    let values: Vec<(&'static str, RwSignal<String>)> = kind
        .fields()
        .iter()
        .map(|(f, _, _)| (*f, RwSignal::new(cell(&row, f))))
        .collect();
    let active = RwSignal::new(row["active"].as_bool().unwrap_or(true));
    let inputs = kind
        .fields()
        .iter()
        .zip(values.iter())
        .map(|((f, label, required), (_, value))| {
            let value = *value;
            view! {
                <label for=format!("ed-{f}")>{t(*label)}</label>
                <input id=format!("ed-{f}") required=*required data-testid=format!("ed-{f}")
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut body = Map::new();
        for (f, value) in &values {
            let v = value.get_untracked().trim().to_owned();
            if !v.is_empty() {
                body.insert((*f).to_owned(), json!(v));
            }
        }
        body.insert("active".into(), json!(active.get_untracked()));
        // The version this form was opened on: if someone saved the row in
        // between, the server settles it by the catalog's strategy.
        if let Some(version) = version {
            body.insert("version".into(), json!(version));
            body.insert("edited_at".into(), json!(edited_at()));
        }
        let body = Value::Object(body);
        run(async move {
            let token = admin.token();
            let saved: Result<Value, _> = match id {
                Some(id) => {
                    let path = format!("{}{id}/", kind.path());
                    admin::send(&token, Method::Put, &path, &body).await
                }
                None => admin::send(&token, Method::Post, kind.path(), &body).await,
            };
            match saved {
                Ok(_) => {
                    admin.notice.set(None);
                    editing.set(None);
                    on_saved();
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    view! {
        <form class="card form editor" on:submit=submit data-testid="catalog-editor">
            <h2>{t(if id.is_some() { key!("admin.edit") } else { key!("admin.create") })}</h2>
            <div class="form-grid">{inputs}</div>
            <label class="inline"><input type="checkbox" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>{t(key!("admin.catalog.active"))}</label>
            <div class="actions">
                <button type="submit" class="primary" data-testid="ed-save">{t(key!("admin.save"))}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>{t(key!("cargue.cancel"))}</button>
            </div>
        </form>
    }
}

#[component]
fn Import(kind: Kind, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let admin = use_admin();
    let report = RwSignal::new(None::<ImportReport>);
    let busy = RwSignal::new(false);
    let path = match kind {
        Kind::Customers => "/api/v1/customers/import/",
        Kind::Products => "/api/v1/products/import/",
    };
    let chosen = move |ev: leptos::ev::Event| {
        report.set(None);
        busy.set(true);
        run(async move {
            match files::read_chosen(&ev).await {
                Some(csv) => match admin::import_csv(&admin.token(), path, &csv).await {
                    Ok(r) => {
                        report.set(Some(r));
                        on_done();
                    }
                    Err(e) => admin.fail(&e),
                },
                None => admin.say(text(
                    admin.lang.get_untracked(),
                    key!("admin.catalog.unreadable"),
                )),
            }
            busy.set(false);
        });
    };
    let outcome = move || {
        report.get().map(|r| {
            let lang = admin.lang.get();
            let rejected = r
                .rejected
                .iter()
                .map(|x| view! { <li data-testid="import-rejected" data-row=x.row.to_string()>{format!("{} {}: {}", text(lang, key!("admin.catalog.row")), x.row, x.errors.join("; "))}</li> })
                .collect_view();
            view! {
                <p class="ok-note" data-testid="import-summary" data-imported=r.imported.to_string() data-rejected=r.rejected.len().to_string()>
                    {format!("{} {} ({} {}, {} {}) · {} {}",
                        r.imported, text(lang, key!("admin.catalog.imported")),
                        r.created, text(lang, key!("admin.catalog.created")),
                        r.updated, text(lang, key!("admin.catalog.updated")),
                        r.rejected.len(), text(lang, key!("admin.catalog.rejected")))}
                </p>
                <ul class="rejections">{rejected}</ul>
            }
        })
    };
    view! {
        <section class="card" data-testid="import">
            <h2>{t(key!("admin.catalog.import"))}</h2>
            <p class="muted small">{t(key!("admin.catalog.columns"))}" "<code>{kind.import_hint()}</code></p>
            <input type="file" accept=".csv,text/csv" data-testid="import-file" disabled=move || busy.get() on:change=chosen/>
            {outcome}
        </section>
    }
}

/// Now, as the server's clock texts are written (RFC 3339, UTC).
fn edited_at() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
