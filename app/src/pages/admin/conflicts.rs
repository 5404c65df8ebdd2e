//! `/admin/conflictos`: open conflicts, live; `?sale=<id>` shows one with
//! the two copies side by side and the contract's four resolutions.
use super::{run, use_admin, watch, AdminPage, Reloader, Section};
use crate::components::connection_badge::ConnectionBadge;
use crate::i18n::{conflict_field_key, t, text, when, wire_word, Lang};
use crate::services::admin::{self, ConflictDetail, ConflictSummary, Page};
use crate::services::api::{ApiError, Method};
use crate::services::live::Status;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ruta_shared::conflict::{ConflictField, Resolution};
use ruta_shared::wire::sales::{ResolveRequest, ResolveResponse};
use serde_json::Value;

#[component]
pub fn Conflicts() -> impl IntoView {
    view! { <AdminPage section=Section::Conflicts><ConflictsBody/></AdminPage> }
}

/// A copy's value of one field, readable without the catalog.
pub fn show(copy: &Value, field: ConflictField, lang: Lang) -> String {
    let v = &copy[field.as_str()];
    if let Some(named) = v.as_str().and_then(|w| wire_word(lang, field, w)) {
        return named.to_owned();
    }
    let line = |i: &Value| {
        let text = |k: &str| match &i[k] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let price = text("unit_price");
        let price = if price.is_empty() {
            String::new()
        } else {
            format!(" × {price}")
        };
        format!("{} · #{}{price}", text("quantity"), text("product_id"))
    };
    match v {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items.iter().map(line).collect::<Vec<_>>().join("; "),
        Value::Number(n) if field == ConflictField::CustomerId => format!("#{n}"),
        other => other.to_string(),
    }
}

#[component]
fn ConflictsBody() -> impl IntoView {
    let admin = use_admin();
    let query = use_query_map();
    let page = RwSignal::new(None::<Page<ConflictSummary>>);
    let detail = RwSignal::new(None::<Result<ConflictDetail, ApiError>>);
    let status = RwSignal::new(Status::Connecting);
    let selected = move || {
        query
            .with(|q| q.get("sale"))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let loader = Reloader::new(move || async move {
        let token = admin.token();
        match admin::get(&token, "/api/v1/sync/conflicts/?limit=200").await {
            Ok(p) => page.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
        if let Some(id) = selected_now(query) {
            let d = admin::get(&token, &format!("/api/v1/sync/conflicts/{id}/")).await;
            detail.set(Some(d));
        }
    });
    // Runs on mount and whenever the `?sale=` changes.
    Effect::new(move |_| {
        let _ = selected();
        detail.set(None);
        loader.reload();
    });
    watch(admin, &["/ws/sync/conflicts/"], status, move |_| {
        loader.reload()
    });
    let rows = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                if p.results.is_empty() {
                    return view! { <p class="empty muted" data-testid="no-conflicts">{t(key!("admin.conflicts.none"))}</p> }.into_any();
                }
                let rows = p.results.iter().map(|c| {
                    let href = format!("/admin/conflictos?sale={}", c.sale_id);
                    view! {
                        <tr data-testid="conflict-row" data-sale=c.sale_id.to_string()>
                            <td><a href=href>{c.sale_number.clone().unwrap_or_else(|| format!("#{}", c.sale_id))}</a></td>
                            <td>{c.seller_code.clone().unwrap_or_default()}</td>
                            <td class="mono">{c.device_id.clone().unwrap_or_default()}</td>
                            <td>{c.customer_name.clone().unwrap_or_default()}</td>
                            <td>{c.fields.join(", ")}</td>
                            <td>{when(&c.created_at)}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table class="data">
                        <thead><tr>
                            <th>{t(key!("admin.col.sale"))}</th><th>{t(key!("admin.col.seller"))}</th><th>{t(key!("admin.col.device"))}</th>
                            <th>{t(key!("admin.col.customer"))}</th><th>{t(key!("admin.col.fields"))}</th><th>{t(key!("admin.col.when"))}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })
        })
    };
    view! {
        <div class="toolbar">
            <ConnectionBadge status=status/>
            <span class="muted" data-testid="conflict-count">{move || page.with(|p| p.as_ref().map(|p| format!("{} {}", p.count, text(admin.lang.get(), key!("admin.conflicts.open")))))}</span>
        </div>
        {move || selected().map(|sale_id| view! { <ConflictDetail sale_id detail loader/> })}
        <section class="card">{rows}</section>
    }
}

fn selected_now(query: Memo<leptos_router::params::ParamsMap>) -> Option<i64> {
    query
        .with_untracked(|q| q.get("sale"))
        .and_then(|s| s.parse().ok())
}

#[component]
fn ConflictDetail(
    sale_id: i64,
    detail: RwSignal<Option<Result<ConflictDetail, ApiError>>>,
    loader: Reloader,
) -> impl IntoView {
    let admin = use_admin();
    let navigate = use_navigate();
    let working = RwSignal::new(false);
    let manual = RwSignal::new(String::new());
    let editing = RwSignal::new(false);
    let resolve = move |how: Resolution| {
        let navigate = navigate.clone();
        move |_| {
            let mut request = ResolveRequest {
                sale_id,
                resolution: how,
                client_data: None,
                notes: None,
            };
            if how == Resolution::Manual {
                match serde_json::from_str::<Value>(&manual.get_untracked()) {
                    Ok(data) => request.client_data = Some(data),
                    Err(_) => {
                        admin.say(text(
                            admin.lang.get_untracked(),
                            key!("admin.conflicts.bad_json"),
                        ));
                        return;
                    }
                }
            }
            let body = request;
            working.set(true);
            let navigate = navigate.clone();
            run(async move {
                let answer: Result<ResolveResponse, _> = admin::send(
                    &admin.token(),
                    Method::Post,
                    "/api/v1/sales/sync/resolve/",
                    &body,
                )
                .await;
                working.set(false);
                match answer {
                    Ok(_) => {
                        admin.notice.set(None);
                        navigate("/admin/conflictos", Default::default());
                        loader.reload();
                    }
                    Err(e) => admin.fail(&e),
                }
            });
        }
    };
    let table = move || {
        detail.with(|d| match d {
            None => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
            Some(Err(ApiError::NotFound)) => view! { <p class="muted" data-testid="conflict-gone">{t(key!("admin.conflicts.gone"))}</p> }.into_any(),
            Some(Err(_)) => view! { <p class="muted">{t(key!("error.offline"))}</p> }.into_any(),
            Some(Ok(ConflictDetail { summary: c, server, client })) => {
                if manual.get_untracked().is_empty() {
                    manual.set(serde_json::to_string_pretty(client).unwrap_or_default());
                }
                let rows = ConflictField::ALL.iter().map(|f| {
                    let differs = c.fields.iter().any(|x| x == f.as_str());
                    view! {
                        <tr class:differs=differs data-testid="conflict-field" data-field=f.as_str() data-differs=differs.to_string()>
                            <th>{t(conflict_field_key(*f))}</th>
                            <td>{show(client, *f, admin.lang.get())}</td>
                            <td>{show(server, *f, admin.lang.get())}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <p class="muted">
                        {c.sale_number.clone().unwrap_or_default()}" · "{c.seller_code.clone().unwrap_or_default()}" · "
                        <span class="mono">{c.local_id.clone()}</span>
                    </p>
                    <table class="conflict-table data">
                        <thead><tr>
                            <th></th>
                            <th>{t(key!("admin.conflicts.client"))}" (v"{c.client_version}")"</th>
                            <th>{t(key!("admin.conflicts.server"))}" (v"{c.server_version}")"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }
        })
    };
    let ready = move || detail.with(|d| matches!(d, Some(Ok(_)))) && !working.get();
    view! {
        <section class="card conflict-detail" data-testid="conflict-detail">
            <h2>{t(key!("admin.conflicts.detail"))}</h2>
            {table}
            <div class="actions">
                <button type="button" class="secondary" data-testid="resolve-server_wins" disabled=move || !ready() on:click=resolve(Resolution::ServerWins)>{t(key!("admin.conflicts.server_wins"))}</button>
                <button type="button" class="secondary" data-testid="resolve-client_wins" disabled=move || !ready() on:click=resolve(Resolution::ClientWins)>{t(key!("admin.conflicts.client_wins"))}</button>
                <button type="button" class="primary" data-testid="resolve-merge" disabled=move || !ready() on:click=resolve(Resolution::Merge)>{t(key!("admin.conflicts.merge"))}</button>
                <button type="button" class="secondary" data-testid="resolve-edit" disabled=move || !ready() on:click=move |_| editing.update(|e| *e = !*e)>{t(key!("admin.conflicts.edit"))}</button>
            </div>
            <Show when=move || editing.get()>
                <label for="manual">{t(key!("admin.conflicts.manual_hint"))}</label>
                <textarea id="manual" class="code" rows="14" data-testid="manual-json"
                    prop:value=move || manual.get() on:input=move |ev| manual.set(event_target_value(&ev))></textarea>
                <button type="button" class="primary" data-testid="resolve-manual" disabled=move || !ready() on:click=resolve(Resolution::Manual)>{t(key!("admin.conflicts.apply"))}</button>
            </Show>
        </section>
    }
}
