//! `/admin/configuracion`: the conflict strategy of each entity type
//! (`/sync/config/`), the sync rate limit (`/sync/rate/`), and the
//! business details that head every receipt (`/business/`).
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{t, text, Key};
use crate::services::admin::{self, BusinessProfile};
use crate::services::api::{ApiError, Method};
use leptos::prelude::*;
use ruta_shared::conflict::{EntityType, Strategy};
use ruta_shared::wire::admin::SyncRate;
use ruta_shared::wire::business::BusinessError;
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
        <BusinessForm/>
    }
}

/// One field of the business form: its wire name (the `field` of the
/// server's and of the shared check's errors), label, and place in the
/// profile.
struct BusinessField {
    wire: &'static str,
    label: Key,
    value: fn(&BusinessProfile) -> &str,
    set: fn(&mut BusinessProfile, String),
    required: bool,
}

const BUSINESS_FIELDS: [BusinessField; 5] = [
    BusinessField {
        wire: "name",
        label: key!("admin.business.name"),
        value: |p| &p.name,
        set: |p, v| p.name = v,
        required: true,
    },
    BusinessField {
        wire: "tax_id",
        label: key!("admin.business.tax_id"),
        value: |p| &p.tax_id,
        set: |p, v| p.tax_id = v,
        required: true,
    },
    BusinessField {
        wire: "address",
        label: key!("admin.business.address"),
        value: |p| &p.address,
        set: |p, v| p.address = v,
        required: false,
    },
    BusinessField {
        wire: "phone",
        label: key!("admin.business.phone"),
        value: |p| &p.phone,
        set: |p, v| p.phone = v,
        required: false,
    },
    BusinessField {
        wire: "receipt_footer",
        label: key!("admin.business.footer"),
        value: |p| &p.receipt_footer,
        set: |p, v| p.receipt_footer = v,
        required: false,
    },
];

/// The shared check's refusal in the page's language: which field, why.
fn business_refusal(lang: crate::i18n::Lang, e: &BusinessError) -> (&'static str, String) {
    let label = BUSINESS_FIELDS
        .iter()
        .find(|f| f.wire == e.field())
        .map_or("", |f| text(lang, f.label));
    let why = match e {
        BusinessError::Required(_) => key!("admin.business.required"),
        BusinessError::TooLong(_) => key!("admin.business.too_long"),
    };
    (e.field(), format!("{label}: {}", text(lang, why)))
}

/// "Datos del negocio": `GET /api/v1/business/` (any role) to fill the
/// form, `PUT` (admin) to save it, checked first with the shared rule.
#[component]
fn BusinessForm() -> impl IntoView {
    let admin = use_admin();
    let profile = RwSignal::new(BusinessProfile::default());
    // The field the last refusal names, with its message.
    let refusal = RwSignal::new(None::<(&'static str, String)>);
    let saved = RwSignal::new(false);
    Reloader::new(move || async move {
        match admin::get::<BusinessProfile>(&admin.token(), "/api/v1/business/").await {
            Ok(p) => profile.set(p),
            // Nothing saved yet: the form starts empty.
            Err(ApiError::NotFound) => {}
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let lang = admin.lang.get_untracked();
        let body = match profile.with_untracked(BusinessProfile::validated) {
            Ok(body) => body,
            Err(e) => return refusal.set(Some(business_refusal(lang, &e))),
        };
        refusal.set(None);
        run(async move {
            let path = "/api/v1/business/";
            match admin::send::<BusinessProfile, _>(&admin.token(), Method::Put, path, &body).await
            {
                Ok(p) => {
                    profile.set(p);
                    saved.set(true);
                }
                Err(ApiError::Rejected(message)) => refusal.set(Some(("", message))),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let fields = BUSINESS_FIELDS
        .iter()
        .map(|f| {
            let (wire, value, set) = (f.wire, f.value, f.set);
            let id = format!("business-{wire}");
            let invalid = move || refusal.with(|r| r.as_ref().is_some_and(|(w, _)| *w == wire));
            view! {
                <label for=id.clone()>{t(f.label)}{f.required.then_some(" *")}</label>
                <input id=id.clone() data-testid=id maxlength="200"
                    aria-invalid=move || invalid().to_string()
                    prop:value=move || profile.with(|p| value(p).to_owned())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        profile.update(|p| set(p, v));
                        saved.set(false);
                    }/>
            }
        })
        .collect_view();
    view! {
        <form class="card settings business" data-testid="business-form" on:submit=save>
            <h2>{t(key!("admin.business.title"))}</h2>
            <p class="muted">{t(key!("admin.business.hint"))}</p>
            <div class="business-grid">{fields}</div>
            {move || refusal.get().map(|(_, m)| view! { <p class="error" role="alert" data-testid="business-error">{m}</p> })}
            <button type="submit" class="primary" data-testid="business-save">{t(key!("admin.save"))}</button>
            {move || saved.get().then(|| view! { <p class="ok-note" data-testid="business-saved">{move || text(admin.lang.get(), key!("admin.saved"))}</p> })}
        </form>
    }
}
