//! `/`: who is logged in on this device; without a session, to /login.
use crate::components::lang_switch::LangSwitch;
use crate::i18n::t;
use crate::services::{api, session};
use leptos::prelude::*;
use ruta_shared::auth::{Role, TokenResponse};

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Seller => "role.seller",
        Role::Dispatcher => "role.dispatcher",
        Role::Admin => "role.admin",
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let current = RwSignal::new(None::<TokenResponse>);
    let navigate = leptos_router::hooks::use_navigate();
    let lang = crate::i18n::use_lang();
    {
        let navigate = navigate.clone();
        // Runs in the browser only: the session lives on the device.
        Effect::new(move |_| match session::load() {
            Some(s) => current.set(Some(s)),
            None => navigate("/login", Default::default()),
        });
    }
    let logout = move |_| {
        let token = current.get_untracked().map(|s| s.token).unwrap_or_default();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            api::logout(&token).await;
            session::clear();
            navigate("/login", Default::default());
        });
    };
    view! {
        <main class="page narrow">
            <header class="brand">
                <div class="logo" aria-hidden="true">"R"</div>
                <p class="brand-name">"Ruta"</p>
                <LangSwitch/>
            </header>
            <Show when=move || current.get().is_some() fallback=|| view! { <p class="muted">"…"</p> }>
                {move || current.get().map(|s| {
                    let role = crate::i18n::text(lang.get(), role_key(s.user.role));
                    let link = match s.user.role {
                        Role::Seller => ("/mi-cargue", "home.my_cargue"),
                        Role::Dispatcher | Role::Admin => ("/cargue", "home.cargue"),
                    };
                    view! {
                        <nav class="home-links">
                            <a class="button primary" href=link.0 data-testid="cargue-link">{t(link.1)}</a>
                        </nav>
                        <section class="card">
                            <h1 data-testid="greeting">{t("home.hello")}", "{s.user.username.clone()}</h1>
                            <p>{t("home.role")}": "<strong data-testid="role">{role}</strong></p>
                            {s.user.seller_code.clone().map(|c| view! {
                                <p>{t("home.seller_code")}": "<strong>{c.to_string()}</strong></p>
                            })}
                        </section>
                    }
                })}
                <button type="button" class="secondary" on:click=logout.clone()>{t("home.logout")}</button>
            </Show>
        </main>
    }
}
