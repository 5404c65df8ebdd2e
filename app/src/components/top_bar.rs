use crate::components::lang_switch::LangSwitch;
use leptos::prelude::*;

/// The brand, the page's title and the language switch.
#[component]
pub fn TopBar(#[prop(into)] title: Signal<&'static str>, children: Children) -> impl IntoView {
    view! {
        <header class="top-bar">
            <a class="logo small" href="/" aria-label="Ruta">"R"</a>
            <h1>{move || title.get()}</h1>
            <div class="top-bar-extra">{children()}</div>
            <LangSwitch/>
        </header>
    }
}
