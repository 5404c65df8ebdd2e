//! `/`: who is logged in on this device; without a session, to /login.
use crate::components::lang_switch::LangSwitch;
use crate::i18n::{role_key, t};
use crate::services::{api, outbox, session, sync};
use leptos::prelude::*;
use ruta_shared::auth::{Role, TokenResponse};

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
    // Unsynced sales on the device when logging out: asked first, with
    // how many would be lost.
    let at_risk = RwSignal::new(None::<usize>);
    let leave = move |_| {
        let token = current.get_untracked().map(|s| s.token).unwrap_or_default();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            api::logout(&token).await;
            sync::forget_device_data().await;
            session::clear();
            navigate("/login", Default::default());
        });
    };
    let logout = {
        let leave = leave.clone();
        move |ev| {
            let leave = leave.clone();
            leptos::task::spawn_local(async move {
                let n = outbox::all()
                    .await
                    .map(|r| outbox::unsynced(&r))
                    .unwrap_or(0);
                if n == 0 {
                    leave(ev);
                } else {
                    at_risk.set(Some(n));
                }
            });
        }
    };
    let risk_text = move || {
        let n = at_risk.get().unwrap_or(0);
        match lang.get() {
            crate::i18n::Lang::Es => format!(
                "Hay {n} venta(s) sin sincronizar en este teléfono. Si cierra sesión se perderán."
            ),
            crate::i18n::Lang::En => {
                format!("There are {n} unsynced sale(s) on this phone. Signing out will lose them.")
            }
        }
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
                        Role::Seller => ("/mi-cargue", key!("home.my_cargue")),
                        Role::Dispatcher | Role::Admin => ("/cargue", key!("home.cargue")),
                    };
                    let seller = s.user.role == Role::Seller;
                    let admin = s.user.role == Role::Admin;
                    // Office pages are another bundle: a full page load.
                    let rel = (!seller).then_some("external");
                    view! {
                        <nav class="home-links">
                            {seller.then(|| view! {
                                <a class="button primary" href="/ventas" data-testid="sales-link">{t(key!("home.sales"))}</a>
                                // The office bundle's page: a full page load.
                                <a class="button primary" href="/mi-dia" rel="external" data-testid="my-day-link">{t(key!("day.title"))}</a>
                            })}
                            {admin.then(|| view! {
                                <a class="button primary" href="/admin" rel="external" data-testid="admin-link">{t(key!("home.admin"))}</a>
                            })}
                            <a class="button primary" href=link.0 rel=rel data-testid="cargue-link">{t(link.1)}</a>
                        </nav>
                        <section class="card">
                            <h1 data-testid="greeting">{t(key!("home.hello"))}", "{s.user.username.clone()}</h1>
                            <p>{t(key!("home.role"))}": "<strong data-testid="role">{role}</strong></p>
                            {s.user.seller_code.clone().map(|c| view! {
                                <p>{t(key!("home.seller_code"))}": "<strong>{c.to_string()}</strong></p>
                            })}
                        </section>
                    }
                })}
                <button type="button" class="secondary" data-testid="logout" on:click=logout.clone()>{t(key!("home.logout"))}</button>
                {
                    let leave = leave.clone();
                    move || at_risk.get().map(|_| {
                        let leave = leave.clone();
                        view! {
                            <section class="card confirm" role="alertdialog" data-testid="logout-confirm">
                                <p>{risk_text}</p>
                                <div class="actions">
                                    <button type="button" class="danger" on:click=leave>{t(key!("home.logout_anyway"))}</button>
                                    <button type="button" class="secondary" on:click=move |_| at_risk.set(None)>{t(key!("cargue.cancel"))}</button>
                                </div>
                            </section>
                        }
                    })
                }
            </Show>
        </main>
    }
}
