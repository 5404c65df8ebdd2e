use crate::i18n::{remember_lang, t, use_lang, Lang};
use leptos::prelude::*;

/// A button that switches between Spanish and English, remembered on the device.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let label = t(key!("lang.switch"));
    let toggle = move |_| {
        let next = if lang.get() == Lang::Es {
            Lang::En
        } else {
            Lang::Es
        };
        lang.set(next);
        remember_lang(next);
    };
    view! {
        <button type="button" class="lang-switch" on:click=toggle data-testid="lang-switch">
            {label}
        </button>
    }
}
