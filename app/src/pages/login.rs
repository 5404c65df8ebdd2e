//! `/login`: username and password; the device id is made once and sent.
use crate::components::lang_switch::LangSwitch;
use crate::i18n::t;
use crate::services::{api, session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn Login() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let working = RwSignal::new(false);
    // Until the page is hydrated a click would submit the form natively
    // (a GET with the password in the URL): the button waits for it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let navigate = leptos_router::hooks::use_navigate();
    let lang = crate::i18n::use_lang();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if working.get_untracked() {
            return;
        }
        working.set(true);
        error.set(None);
        let (user, pass) = (username.get_untracked(), password.get_untracked());
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::login(&user, &pass, &session::device_id()).await {
                Ok(s) => {
                    session::save(&s);
                    navigate("/", Default::default());
                }
                Err(e) => {
                    let key = match e {
                        api::ApiError::BadCredentials => key!("login.bad_credentials"),
                        api::ApiError::Throttled(_) => key!("login.throttled"),
                        _ => key!("login.offline"),
                    };
                    error.set(Some(crate::i18n::text(lang.get_untracked(), key)));
                }
            }
            working.set(false);
        });
    };

    view! {
        <main class="page narrow login">
            <header class="brand">
                <div class="logo" aria-hidden="true">"R"</div>
                <div>
                    <p class="brand-name">"Ruta"</p>
                    <p class="tagline">{t(key!("app.tagline"))}</p>
                </div>
                <LangSwitch/>
            </header>
            <form class="card" method="post" on:submit=submit>
                <h1>{t(key!("login.title"))}</h1>
                <label for="username">{t(key!("login.username"))}</label>
                <input id="username" name="username" autocomplete="username" required
                    autocapitalize="none" spellcheck="false"
                    prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                <label for="password">{t(key!("login.password"))}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert">{move || error.get().unwrap_or("")}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || working.get() || !hydrated.get()>
                    {move || if working.get() { t(key!("login.working"))() } else { t(key!("login.submit"))() }}
                </button>
            </form>
        </main>
    }
}
