use crate::i18n::{t, use_lang, Lang, LANG_KEY};
use crate::services::storage;
use leptos::prelude::*;

/// A button that switches between Spanish and English, remembered on the device.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let label = t("lang.switch");
    let toggle = move |_| {
        let next = if lang.get() == Lang::Es {
            Lang::En
        } else {
            Lang::Es
        };
        lang.set(next);
        storage::set(LANG_KEY, next.code());
    };
    view! {
        <button type="button" class="lang-switch" on:click=toggle data-testid="lang-switch">
            {label}
        </button>
    }
}
