//! `/admin/errores`: sales the server refused, with its message, filtered
//! by seller or device; select and retry (the contract's `/retry/`).
use super::{run, use_admin, watch, AdminPage, Reloader, Section};
use crate::components::connection_badge::ConnectionBadge;
use crate::i18n::{money, t, text, when};
use crate::services::admin::{self, Page, PendingSale};
use crate::services::live::Status;
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn Errors() -> impl IntoView {
    view! { <AdminPage section=Section::Errors><ErrorsBody/></AdminPage> }
}

#[component]
fn ErrorsBody() -> impl IntoView {
    let admin = use_admin();
    let seller = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let page = RwSignal::new(None::<Page<PendingSale>>);
    let chosen = RwSignal::new(BTreeSet::<i64>::new());
    let status = RwSignal::new(Status::Connecting);
    let loader = Reloader::new(move || async move {
        let path = format!(
            "/api/v1/sales/sync/pending/{}",
            admin::query(&[
                ("sync_status", "error"),
                ("limit", "200"),
                ("seller", seller.get_untracked().trim()),
                ("device_id", device.get_untracked().trim()),
            ])
        );
        match admin::get::<Page<PendingSale>>(&admin.token(), &path).await {
            Ok(p) => {
                chosen.update(|c| c.retain(|id| p.results.iter().any(|s| s.id == *id)));
                page.set(Some(p));
            }
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    watch(admin, &["/ws/sync/queue/"], status, move |_| {
        loader.reload()
    });
    let retry = move |_| {
        let ids: Vec<i64> = chosen.get_untracked().into_iter().collect();
        if ids.is_empty() {
            return;
        }
        run(async move {
            match admin::retry(&admin.token(), &ids).await {
                Ok(r) => {
                    let lang = admin.lang.get_untracked();
                    admin.say(format!(
                        "{} {}",
                        r.processed,
                        text(lang, key!("admin.errors.queued"))
                    ));
                    chosen.set(BTreeSet::new());
                    loader.reload();
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    let all_chosen = move || {
        page.with(|p| {
            p.as_ref().is_some_and(|p| {
                !p.results.is_empty() && p.results.len() == chosen.with(BTreeSet::len)
            })
        })
    };
    let toggle_all = move |_| {
        let ids: BTreeSet<i64> = if all_chosen() {
            BTreeSet::new()
        } else {
            page.with_untracked(|p| {
                p.iter()
                    .flat_map(|p| p.results.iter().map(|s| s.id))
                    .collect()
            })
        };
        chosen.set(ids);
    };
    let rows = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                p.results
                    .iter()
                    .map(|s| {
                        let id = s.id;
                        view! {
                            <tr data-testid="error-row" data-sale=id.to_string()>
                                <td><input type="checkbox" aria-label="✓" data-testid="error-pick"
                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                    on:change=move |_| chosen.update(|c| if !c.remove(&id) { c.insert(id); })/></td>
                                <td>{format!("#{id}")}</td>
                                <td>{s.seller_code.clone().unwrap_or_default()}</td>
                                <td class="mono">{s.device_id.clone().unwrap_or_default()}</td>
                                <td>{s.customer_name.clone().unwrap_or_default()}</td>
                                <td class="num">{s.total.as_deref().map(|v| money(admin.lang.get_untracked(), v)).unwrap_or_default()}</td>
                                <td class="error-text" data-testid="error-message">{s.error.clone().unwrap_or_default()}</td>
                                <td class="num">{s.sync_attempt_count}</td>
                                <td>{s.sync_last_attempt.as_deref().map(when).unwrap_or_default()}</td>
                                <td>{s.next_attempt_at.as_deref().map(when).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="toolbar">
            <ConnectionBadge status=status/>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); loader.reload(); }>
                <input placeholder=t(key!("admin.col.seller")) data-testid="filter-seller" prop:value=move || seller.get() on:input=move |ev| seller.set(event_target_value(&ev))/>
                <input placeholder=t(key!("admin.col.device")) data-testid="filter-device" prop:value=move || device.get() on:input=move |ev| device.set(event_target_value(&ev))/>
                <button type="submit" class="secondary">{t(key!("admin.filter"))}</button>
            </form>
            <button type="button" class="primary" data-testid="retry-selected" disabled=move || chosen.with(BTreeSet::is_empty) on:click=retry>
                {t(key!("admin.errors.retry"))}" ("{move || chosen.with(BTreeSet::len)}")"
            </button>
        </div>
        <section class="card">
            <p class="muted" data-testid="error-count">{move || page.with(|p| p.as_ref().map(|p| format!("{} {}", p.count, text(admin.lang.get(), key!("admin.errors.count")))))}</p>
            <table class="data">
                <thead><tr>
                    <th><input type="checkbox" aria-label="✓" prop:checked=all_chosen on:change=toggle_all/></th>
                    <th>{t(key!("admin.col.sale"))}</th><th>{t(key!("admin.col.seller"))}</th><th>{t(key!("admin.col.device"))}</th>
                    <th>{t(key!("admin.col.customer"))}</th><th class="num">{t(key!("admin.col.total"))}</th><th>{t(key!("admin.col.error"))}</th>
                    <th class="num">{t(key!("admin.col.attempts"))}</th><th>{t(key!("admin.col.last_attempt"))}</th><th>{t(key!("admin.col.next_attempt"))}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
