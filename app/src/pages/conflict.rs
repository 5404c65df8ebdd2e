//! `/ventas/conflicto?id=`: a draft edited here while the server's copy
//! changed. Mine and the server's side by side, differing fields marked;
//! keep mine, take the server's, or merge (the server decides field by
//! field, as the contract's resolve does).
use crate::components::top_bar::TopBar;
use crate::i18n::{conflict_field_key, describe, money, number, t, use_lang, wire_word, Lang};
use crate::pages::access::{Access, Forbidden};
use crate::pages::sales::use_seller_page;
use crate::services::api::{self, Method};
use crate::services::catalog::LocalCatalog;
use crate::services::outbox::{self, OutboxRecord};
use crate::services::session;
use crate::services::sync::SyncService;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ruta_shared::conflict::{ConflictField, ConflictInfo, Resolution};
use ruta_shared::planner::LocalState;
use ruta_shared::sale::SaleView;
use ruta_shared::wire::sales::ResolveRequest;
use serde_json::Value;

/// One side's value of a field, in words.
fn show(copy: &Value, field: ConflictField, catalog: &LocalCatalog, lang: Lang) -> String {
    let v = &copy[field.as_str()];
    let line = |i: &Value| {
        let id = i["product_id"].as_i64().unwrap_or(0);
        let quantity = number(lang, i["quantity"].as_str().unwrap_or("?"));
        let price = i["unit_price"]
            .as_str()
            .map(|p| format!(" × ${}", money(lang, p)))
            .unwrap_or_default();
        format!("{quantity} {}{price}", catalog.product_name(id))
    };
    match field {
        ConflictField::CustomerId => catalog.customer_name(v.as_i64().unwrap_or(0)),
        ConflictField::Items | ConflictField::Returns => v
            .as_array()
            .map(|items| items.iter().map(line).collect::<Vec<_>>().join("; "))
            .unwrap_or_default(),
        ConflictField::Status | ConflictField::PaymentMethod => v
            .as_str()
            .and_then(|w| wire_word(lang, field, w))
            .unwrap_or("—")
            .to_owned(),
        ConflictField::Notes => v.as_str().unwrap_or("—").to_owned(),
    }
}

async fn resolve(
    sync: SyncService,
    record: OutboxRecord,
    sale_id: i64,
    how: Resolution,
) -> Result<(), api::ApiError> {
    let token = session::load().map(|s| s.token).unwrap_or_default();
    // The answer names the sale; the phone reads the whole sale next.
    let body = ResolveRequest {
        sale_id,
        resolution: how,
        client_data: None,
        notes: None,
    };
    api::send_json_no_content(Method::Post, "/api/v1/sales/sync/resolve/", &token, &body).await?;
    let view: SaleView = api::call(
        Method::Get,
        &format!("/api/v1/sales/{sale_id}/"),
        &token,
        None,
    )
    .await?;
    let after = outbox::settled_by_server(&record, &view);
    let _ = outbox::save(&after).await;
    sync.replace(after);
    Ok(())
}

#[component]
pub fn Conflict() -> impl IntoView {
    let (access, sync) = use_seller_page();
    let lang = use_lang();
    let query = use_query_map();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let found = move || {
        let id = query.with(|q| q.get("id"))?;
        sync.records
            .with(|r| r.iter().find(|r| r.local_id == id).cloned())
    };
    let act = move |record: OutboxRecord, sale_id: i64, how: Resolution| {
        let navigate = navigate.clone();
        move |_| {
            working.set(true);
            let record = record.clone();
            let navigate = navigate.clone();
            let lang = lang.get_untracked();
            leptos::task::spawn_local(async move {
                match resolve(sync, record, sale_id, how).await {
                    Ok(()) => navigate("/ventas", Default::default()),
                    Err(e) => error.set(Some(describe(lang, &e))),
                }
                working.set(false);
            });
        }
    };
    view! {
        <main class="page narrow seller">
            <TopBar title=t(key!("conflict.title"))><span></span></TopBar>
            {move || match access.get() {
                Access::Forbidden => view! { <Forbidden/> }.into_any(),
                Access::Checking => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                Access::Allowed(_) => match found() {
                    Some(record) => match record.state.clone() {
                        LocalState::Conflict { sale_id, conflict } => {
                            let ConflictInfo { fields, server, client, server_version, client_version } = conflict;
                            let rows = ConflictField::ALL.iter().map(|f| {
                                let differs = fields.contains(f);
                                let (mine, theirs) = sync.catalog.with_untracked(|c| (show(&client, *f, c, lang.get_untracked()), show(&server, *f, c, lang.get_untracked())));
                                view! {
                                    <tr class:differs=differs data-testid="conflict-field" data-field=f.as_str() data-differs=differs.to_string()>
                                        <th>{t(conflict_field_key(*f))}</th>
                                        <td>{mine}</td>
                                        <td>{theirs}</td>
                                    </tr>
                                }
                            }).collect_view();
                            view! {
                                <section class="card conflict-card" data-testid="conflict-view">
                                    <p>{t(key!("conflict.explain"))}</p>
                                    <table class="conflict-table">
                                        <thead><tr>
                                            <th></th>
                                            <th>{t(key!("conflict.mine"))}" (v"{client_version}")"</th>
                                            <th>{t(key!("conflict.server"))}" (v"{server_version}")"</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                                    <div class="actions stacked">
                                        <button type="button" class="primary" data-testid="keep-mine" disabled=move || working.get()
                                            on:click=act(record.clone(), sale_id, Resolution::ClientWins)>{t(key!("conflict.keep_mine"))}</button>
                                        <button type="button" class="secondary" data-testid="take-server" disabled=move || working.get()
                                            on:click=act(record.clone(), sale_id, Resolution::ServerWins)>{t(key!("conflict.take_server"))}</button>
                                        <button type="button" class="secondary" data-testid="merge" disabled=move || working.get()
                                            on:click=act(record.clone(), sale_id, Resolution::Merge)>{t(key!("conflict.merge"))}</button>
                                    </div>
                                </section>
                            }.into_any()
                        }
                        _ => view! { <p class="muted">{t(key!("conflict.none"))}</p><a href="/ventas">{t(key!("sales.title"))}</a> }.into_any(),
                    },
                    None => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                },
            }}
        </main>
    }
}
