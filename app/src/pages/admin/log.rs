//! `/admin/registro`: the sync log, newest first, filtered and paged by
//! cursor; CSV export of the same filter; the hash-chain check.
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, when};
use crate::services::admin::{self, LogPage, Verification};
use crate::services::pwa;
use leptos::prelude::*;
use ruta_shared::audit::SyncAction;

#[component]
pub fn Log() -> impl IntoView {
    view! { <AdminPage section=Section::Log><LogBody/></AdminPage> }
}

#[derive(Clone, Copy)]
struct Filter {
    action: RwSignal<String>,
    seller: RwSignal<String>,
    device: RwSignal<String>,
    since: RwSignal<String>,
    until: RwSignal<String>,
}

impl Filter {
    fn query(self, extra: &[(&str, &str)]) -> String {
        let (action, seller, device, since, until) = (
            self.action.get_untracked(),
            self.seller.get_untracked(),
            self.device.get_untracked(),
            self.since.get_untracked(),
            self.until.get_untracked(),
        );
        // `until` is a day: the whole of it.
        let until = if until.is_empty() {
            until
        } else {
            format!("{until}T23:59:59.999Z")
        };
        let mut pairs = vec![
            ("action", action.trim()),
            ("seller", seller.trim()),
            ("device_id", device.trim()),
            ("since", since.as_str()),
            ("until", until.as_str()),
        ];
        pairs.extend_from_slice(extra);
        admin::query(&pairs)
    }
}

#[component]
fn LogBody() -> impl IntoView {
    let admin = use_admin();
    let filter = Filter {
        action: RwSignal::new(String::new()),
        seller: RwSignal::new(String::new()),
        device: RwSignal::new(String::new()),
        since: RwSignal::new(String::new()),
        until: RwSignal::new(String::new()),
    };
    // Cursors of the pages before the one shown, to go back.
    let earlier = RwSignal::new(Vec::<Option<String>>::new());
    let cursor = RwSignal::new(None::<String>);
    let page = RwSignal::new(None::<LogPage>);
    let verdict = RwSignal::new(None::<Verification>);
    let loader = Reloader::new(move || async move {
        let c = cursor.get_untracked().unwrap_or_default();
        let path = format!(
            "/api/v1/sync/log/{}",
            filter.query(&[("limit", "50"), ("cursor", c.as_str())])
        );
        match admin::get::<LogPage>(&admin.token(), &path).await {
            Ok(p) => page.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        earlier.set(Vec::new());
        cursor.set(None);
        loader.reload();
    };
    let next = move |_| {
        let Some(n) = page.with_untracked(|p| p.as_ref().and_then(|p| p.next_cursor.clone()))
        else {
            return;
        };
        earlier.update(|e| e.push(cursor.get_untracked()));
        cursor.set(Some(n));
        loader.reload();
    };
    let previous = move |_| {
        if let Some(c) = earlier.try_update(Vec::pop).flatten() {
            cursor.set(c);
            loader.reload();
        }
    };
    let export = move |_| {
        run(async move {
            let path = format!("/api/v1/sync/log/export.csv{}", filter.query(&[]));
            match admin::export_csv(&admin.token(), &path).await {
                Ok(csv) => pwa::download_as("ruta-registro.csv", "text/csv", &csv),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let verify = move |_| {
        verdict.set(None);
        run(async move {
            match admin::get::<Verification>(&admin.token(), "/api/v1/sync/log/verify/").await {
                Ok(v) => verdict.set(Some(v)),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let verdict_view = move || {
        verdict.get().map(|v| {
            let lang = admin.lang.get();
            if v.ok {
                view! { <p class="ok-note" data-testid="verify-result" data-ok="true">{format!("✓ {} — {} {}", text(lang, key!("admin.log.intact")), v.rows, text(lang, key!("admin.log.rows")))}</p> }.into_any()
            } else {
                view! { <p class="error" data-testid="verify-result" data-ok="false">{format!("✗ {} {} ({})", text(lang, key!("admin.log.broken")), v.first_bad_row.unwrap_or(0), v.chain.unwrap_or_default())}</p> }.into_any()
            }
        })
    };
    let actions = SyncAction::ALL
        .iter()
        .map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> })
        .collect_view();
    let rows = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                p.results
                    .iter()
                    .map(|r| {
                        view! {
                            <tr data-testid="log-row" data-action=r.action.clone() class:failed=!r.success>
                                <td class="num">{r.id}</td>
                                <td data-testid="log-time" data-at=r.timestamp.clone()>{when(&r.timestamp)}</td>
                                <td><span class="pill">{r.action.clone()}</span></td>
                                <td>{r.username.clone().unwrap_or_default()}</td>
                                <td>{r.seller_code.clone().unwrap_or_default()}</td>
                                <td class="mono">{r.device_id.clone().unwrap_or_default()}</td>
                                <td>{r.ip.clone().unwrap_or_default()}</td>
                                <td>{r.sale_id.map(|s| format!("#{s}")).unwrap_or_default()}</td>
                                <td>{if r.success { "✓" } else { "✗" }}</td>
                                <td class="error-text">{r.error.clone().unwrap_or_default()}</td>
                                <td class="detail" data-testid="log-detail">{r.detail.as_ref().map(detail_text).unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let bind = |s: RwSignal<String>| (move || s.get(), move |ev| s.set(event_target_value(&ev)));
    let (action_value, action_input) = bind(filter.action);
    let (seller_value, seller_input) = bind(filter.seller);
    let (device_value, device_input) = bind(filter.device);
    let (since_value, since_input) = bind(filter.since);
    let (until_value, until_input) = bind(filter.until);
    view! {
        <form class="filters toolbar" on:submit=apply>
            <select data-testid="filter-action" prop:value=action_value on:change=action_input>
                <option value="">{t(key!("admin.log.any_action"))}</option>
                {actions}
            </select>
            <input placeholder=t(key!("admin.col.seller")) data-testid="filter-seller" prop:value=seller_value on:input=seller_input/>
            <input placeholder=t(key!("admin.col.device")) data-testid="filter-device" prop:value=device_value on:input=device_input/>
            <label class="inline">{t(key!("admin.log.since"))}<input type="date" data-testid="filter-since" prop:value=since_value on:input=since_input/></label>
            <label class="inline">{t(key!("admin.log.until"))}<input type="date" data-testid="filter-until" prop:value=until_value on:input=until_input/></label>
            <button type="submit" class="primary" data-testid="filter-apply">{t(key!("admin.filter"))}</button>
            <button type="button" class="secondary" data-testid="export-csv" on:click=export>{t(key!("admin.log.export"))}</button>
            <button type="button" class="secondary" data-testid="verify" on:click=verify>{t(key!("admin.log.verify"))}</button>
        </form>
        {verdict_view}
        <section class="card">
            <table class="data">
                <thead><tr>
                    <th class="num">"#"</th><th>{t(key!("admin.col.when"))}</th><th>{t(key!("admin.col.action"))}</th><th>{t(key!("admin.col.user"))}</th>
                    <th>{t(key!("admin.col.seller"))}</th><th>{t(key!("admin.col.device"))}</th><th>"IP"</th><th>{t(key!("admin.col.sale"))}</th>
                    <th>{t(key!("admin.col.ok"))}</th><th>{t(key!("admin.col.error"))}</th><th>{t(key!("admin.col.detail"))}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="pager">
                <button type="button" class="secondary" data-testid="page-prev" disabled=move || earlier.with(Vec::is_empty) on:click=previous>{t(key!("admin.prev"))}</button>
                <button type="button" class="secondary" data-testid="page-next" disabled=move || page.with(|p| p.as_ref().is_none_or(|p| p.next_cursor.is_none())) on:click=next>{t(key!("admin.next"))}</button>
            </div>
        </section>
    }
}

/// A log row's detail as `key: value` pairs (nested values as JSON).
fn detail_text(detail: &serde_json::Value) -> String {
    match detail {
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        other => other.to_string(),
    }
}
