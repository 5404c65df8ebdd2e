//! `/admin/webhooks`: URLs that receive signed `sale_synced`, `sale_error`
//! and `conflict_detected` deliveries; their history, a test ping, the
//! secret (shown once) and its rotation.
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, when};
use crate::services::admin::{self, Delivery, Page, Webhook};
use crate::services::api::{self, Method};
use leptos::prelude::*;
use ruta_shared::webhook::{DeliveryStatus, WebhookEvent};
use ruta_shared::wire::webhooks::{SecretView, WebhookInput};
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[component]
pub fn Webhooks() -> impl IntoView {
    view! { <AdminPage section=Section::Webhooks><WebhooksBody/></AdminPage> }
}

#[component]
fn WebhooksBody() -> impl IntoView {
    let admin = use_admin();
    let hooks = RwSignal::new(None::<Page<Webhook>>);
    let open = RwSignal::new(None::<i64>);
    // A secret is shown once, right after it is made.
    let secret = RwSignal::new(None::<String>);
    let loader = Reloader::new(move || async move {
        match admin::get(&admin.token(), "/api/v1/webhooks/?limit=200").await {
            Ok(p) => hooks.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let act = move |id: i64, what: &'static str| {
        run(async move {
            let token = admin.token();
            let base = format!("/api/v1/webhooks/{id}/");
            let done = match what {
                "test" => {
                    api::call_no_content(
                        Method::Post,
                        &format!("{base}test/"),
                        &token,
                        Some(&json!({})),
                    )
                    .await
                }
                "delete" => api::call_no_content(Method::Delete, &base, &token, None).await,
                "rotate" => admin::send::<SecretView, _>(
                    &token,
                    Method::Post,
                    &format!("{base}secret/"),
                    &json!({}),
                )
                .await
                .map(|s| secret.set(Some(s.secret))),
                _ => Ok(()),
            };
            match done {
                Ok(()) => {
                    if what == "test" {
                        open.set(Some(id));
                    }
                    loader.reload();
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    let toggle = move |id: i64, active: bool| {
        run(async move {
            let body = WebhookInput {
                active: Some(active),
                ..Default::default()
            };
            match admin::send::<Value, _>(
                &admin.token(),
                Method::Put,
                &format!("/api/v1/webhooks/{id}/"),
                &body,
            )
            .await
            {
                Ok(_) => loader.reload(),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let rows = move || {
        hooks.with(|p| {
            p.as_ref().map(|p| {
                if p.results.is_empty() {
                    return view! { <p class="empty muted">{t(key!("admin.webhooks.none"))}</p> }.into_any();
                }
                p.results.iter().map(|h| {
                    let id = h.id;
                    let active = h.active;
                    view! {
                        <article class="hook" data-testid="webhook" data-url=h.url.clone()>
                            <div class="hook-head">
                                <strong class="mono">{h.url.clone()}</strong>
                                <span class=if active { "pill ok" } else { "pill" }>{t(if active { key!("admin.webhooks.active") } else { key!("admin.webhooks.paused") })}</span>
                                <span class="muted">{h.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")}</span>
                                <span class="muted">{h.last_delivery_status.map(|s| format!("· {s}"))}</span>
                            </div>
                            <div class="actions">
                                <button type="button" class="secondary small" data-testid="hook-test" on:click=move |_| act(id, "test")>{t(key!("admin.webhooks.test"))}</button>
                                <button type="button" class="secondary small" data-testid="hook-history" on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{t(key!("admin.webhooks.history"))}</button>
                                <button type="button" class="secondary small" on:click=move |_| toggle(id, !active)>{t(if active { key!("admin.webhooks.pause") } else { key!("admin.webhooks.resume") })}</button>
                                <button type="button" class="secondary small" data-testid="hook-rotate" on:click=move |_| act(id, "rotate")>{t(key!("admin.webhooks.rotate"))}</button>
                                <button type="button" class="danger small" data-testid="hook-delete" on:click=move |_| act(id, "delete")>{t(key!("admin.delete"))}</button>
                            </div>
                            <Show when=move || open.get() == Some(id)><Deliveries hook_id=id/></Show>
                        </article>
                    }
                }).collect_view().into_any()
            })
        })
    };
    view! {
        {move || secret.get().map(|s| view! {
            <section class="card secret" data-testid="webhook-secret">
                <p>{t(key!("admin.webhooks.secret_once"))}</p>
                <code class="mono">{s}</code>
                <button type="button" class="secondary small" on:click=move |_| secret.set(None)>"OK"</button>
            </section>
        })}
        <div class="two-col wide-left">
            <section class="card">
                <h2>{t(key!("admin.webhooks.list"))}</h2>
                {rows}
                <p class="muted small">{t(key!("admin.webhooks.signing"))}</p>
            </section>
            <NewWebhook secret on_created=move || loader.reload()/>
        </div>
    }
}

#[component]
fn NewWebhook(
    secret: RwSignal<Option<String>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let admin = use_admin();
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(
        WebhookEvent::SUBSCRIBABLE
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect::<BTreeSet<_>>(),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = WebhookInput {
            url: Some(url.get_untracked().trim().to_owned()),
            events: Some(events.get_untracked().into_iter().collect()),
            active: None,
        };
        run(async move {
            match admin::send::<Webhook, _>(
                &admin.token(),
                Method::Post,
                "/api/v1/webhooks/",
                &body,
            )
            .await
            {
                Ok(h) => {
                    secret.set(h.secret);
                    url.set(String::new());
                    admin.notice.set(None);
                    on_created();
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    let boxes = WebhookEvent::SUBSCRIBABLE
        .iter()
        .map(|e| {
            let e = e.as_str();
            view! {
                <label class="inline">
                    <input type="checkbox" data-testid=format!("event-{e}") prop:checked=move || events.with(|s| s.contains(e))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            events.update(|s| { if on { s.insert(e.to_owned()); } else { s.remove(e); } });
                        }/>
                    <code>{e}</code>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="card form" on:submit=submit data-testid="new-webhook">
            <h2>{t(key!("admin.webhooks.new"))}</h2>
            <label for="wh-url">"URL"</label>
            <input id="wh-url" type="url" required placeholder="https://…" data-testid="wh-url" prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
            <fieldset class="events"><legend>{t(key!("admin.webhooks.events"))}</legend>{boxes}</fieldset>
            <button type="submit" class="primary" data-testid="wh-submit">{t(key!("admin.create"))}</button>
        </form>
    }
}

#[component]
fn Deliveries(hook_id: i64) -> impl IntoView {
    let admin = use_admin();
    let page = RwSignal::new(None::<Page<Delivery>>);
    Reloader::new(move || async move {
        let path = format!("/api/v1/webhooks/{hook_id}/deliveries/?limit=50");
        match admin::get(&admin.token(), &path).await {
            Ok(p) => page.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let rows = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                p.results
                    .iter()
                    .map(|d| {
                        view! {
                            <tr data-testid="delivery-row" data-status=d.status.as_str()>
                                <td>{when(&d.created_at)}</td>
                                <td><code>{d.event.clone()}</code></td>
                                <td><span class=format!("pill {}", d.status)>{d.status.as_str()}</span></td>
                                <td class="num">{d.attempts}</td>
                                <td class="num">{d.response_status.map(|s| s.to_string()).unwrap_or_default()}</td>
                                <td class="error-text">{d.error.clone().unwrap_or_default()}</td>
                                <td>{d.next_attempt_at.as_deref().filter(|_| d.status == DeliveryStatus::Pending).map(when).unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <table class="data inner" data-testid="deliveries">
            <thead><tr>
                <th>{t(key!("admin.col.when"))}</th><th>{t(key!("admin.webhooks.event"))}</th><th>{t(key!("admin.col.state"))}</th>
                <th class="num">{t(key!("admin.col.attempts"))}</th><th class="num">"HTTP"</th><th>{t(key!("admin.col.error"))}</th><th>{t(key!("admin.col.next_attempt"))}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="muted small">{move || page.with(|p| p.as_ref().map(|p| format!("{} {}", p.count, text(admin.lang.get(), key!("admin.webhooks.deliveries")))))}</p>
    }
}
