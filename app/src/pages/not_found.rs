use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page narrow">
            <h1>{t(key!("notfound.title"))}</h1>
            <a href="/">{t(key!("notfound.back"))}</a>
        </main>
    }
}
