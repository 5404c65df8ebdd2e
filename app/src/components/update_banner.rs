use crate::i18n::t;
use crate::services::pwa;
use leptos::prelude::*;

/// "Nueva versión disponible — Actualizar", when a new deployment's
/// service worker is installed and waiting for the seller's go-ahead.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = pwa::use_update_ready();
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{t(key!("pwa.update_ready"))}</span>
                <button type="button" class="primary" on:click=move |_| pwa::call_shell("rutaApplyUpdate")>
                    {t(key!("pwa.update"))}
                </button>
            </div>
        </Show>
    }
}
