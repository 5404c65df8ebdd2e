//! `/admin/configuracion`: the conflict strategy of each entity type
//! (`/sync/config/`) and the sync rate limit (`/sync/rate/`).
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, Key};
use crate::services::admin;
use crate::services::api::Method;
use leptos::prelude::*;
use ruta_shared::conflict::{EntityType, Strategy};
use ruta_shared::wire::admin::SyncRate;
use serde_json::{json, Value};

#[component]
pub fn Settings() -> impl IntoView {
    view! { <AdminPage section=Section::Settings><SettingsBody/></AdminPage> }
}

type Rate = SyncRate;

fn strategy_key(s: Strategy) -> Key {
    match s {
        Strategy::ServerWins => key!("admin.strategy.server_wins"),
        Strategy::ClientWins => key!("admin.strategy.client_wins"),
        Strategy::LastWriteWins => key!("admin.strategy.last_write_wins"),
        Strategy::Merge => key!("admin.strategy.merge"),
        Strategy::Manual => key!("admin.strategy.manual"),
    }
}

fn entity_key(e: EntityType) -> Key {
    match e {
        EntityType::Sale => key!("admin.entity.sale"),
        EntityType::Customer => key!("admin.entity.customer"),
        EntityType::Product => key!("admin.entity.product"),
    }
}

#[component]
fn SettingsBody() -> impl IntoView {
    let admin = use_admin();
    let config = RwSignal::new(None::<Value>);
    let rate = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    Reloader::new(move || async move {
        let token = admin.token();
        match admin::get::<Value>(&token, "/api/v1/sync/config/").await {
            Ok(c) => config.set(Some(c)),
            Err(e) => admin.fail(&e),
        }
        match admin::get::<Rate>(&token, "/api/v1/sync/rate/").await {
            Ok(r) => rate.set(r.rate),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        run(async move {
            let token = admin.token();
            let Some(body) = config.get_untracked() else {
                return;
            };
            let written: Result<Value, _> =
                admin::send(&token, Method::Put, "/api/v1/sync/config/", &body).await;
            if let Err(e) = written {
                return admin.fail(&e);
            }
            let body = SyncRate {
                rate: rate.get_untracked().trim().to_owned(),
            };
            match admin::send::<Rate, _>(&token, Method::Put, "/api/v1/sync/rate/", &body).await {
                Ok(r) => {
                    rate.set(r.rate);
                    admin.notice.set(None);
                    saved.set(true);
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    let entities = move || {
        config.get().map(|_| {
            EntityType::ALL
                .iter()
                .map(|e| {
                    let e = *e;
                    let current = move || {
                        config.with(|c| {
                            c.as_ref()
                                .and_then(|c| c[e.as_str()]["strategy"].as_str().map(str::to_owned))
                                .unwrap_or_default()
                        })
                    };
                    let options = Strategy::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str()>{t(strategy_key(*s))}</option> })
                        .collect_view();
                    let critical = move || {
                        config.with(|c| c.as_ref().is_some_and(|c| c[e.as_str()]["critical"] == json!(true)))
                    };
                    view! {
                        <div class="setting-row">
                            <label for=format!("strategy-{}", e.as_str())>{t(entity_key(e))}</label>
                            <select id=format!("strategy-{}", e.as_str()) data-testid=format!("strategy-{}", e.as_str())
                                prop:value=current
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    config.update(|c| if let Some(c) = c { c[e.as_str()]["strategy"] = json!(v); });
                                }>
                                {options}
                            </select>
                            <label class="inline">
                                <input type="checkbox" prop:checked=critical
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        config.update(|c| if let Some(c) = c { c[e.as_str()]["critical"] = json!(on); });
                                    }/>
                                {t(key!("admin.settings.critical"))}
                            </label>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <form class="card settings" on:submit=save>
            <h2>{t(key!("admin.settings.strategies"))}</h2>
            <p class="muted">{t(key!("admin.settings.strategies_hint"))}</p>
            {entities}
            <h2>{t(key!("admin.settings.rate"))}</h2>
            <p class="muted">{t(key!("admin.settings.rate_hint"))}</p>
            <div class="setting-row">
                <label for="rate">{t(key!("admin.settings.rate_label"))}</label>
                <input id="rate" data-testid="sync-rate" placeholder="50/hour" prop:value=move || rate.get() on:input=move |ev| rate.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="primary" data-testid="save-settings">{t(key!("admin.save"))}</button>
            {move || saved.get().then(|| view! { <p class="ok-note" data-testid="saved">{move || text(admin.lang.get(), key!("admin.saved"))}</p> })}
        </form>
    }
}
